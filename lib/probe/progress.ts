/** Where the probe tells the person running it what it is doing (stderr by default). */
export interface Progress {
  step(stage: string, text: string): void;
  warn(text: string): void;
}

export function streamProgress(write: (text: string) => void): Progress {
  const stamp = () => new Date().toISOString().slice(11, 19);
  return {
    step: (stage, text) => write(`${stamp()} ${stage.padEnd(8)} ${text}\n`),
    warn: (text) => write(`${stamp()} warning  ${text}\n`),
  };
}

export const silentProgress: Progress = { step: () => undefined, warn: () => undefined };
