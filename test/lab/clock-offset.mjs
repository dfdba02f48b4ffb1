// Preloaded into a probe process (`node --import ./clock-offset.mjs probe.mjs ...`): shifts the
// wall clock the probe stamps its events with by LINKSCOPE_LAB_CLOCK_OFFSET_MS. The port_blocked
// detector wants failures spread over at least 10 minutes (one retry burst is not a block);
// the lab replays the runs of a scheduled probe as if they happened minutes apart instead of
// waiting for them. Timers and elapsed times are unaffected (the offset is constant).
const offset = Number(process.env.LINKSCOPE_LAB_CLOCK_OFFSET_MS ?? 0);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = ShiftedDate;
}
