// Reading a JSON request body without trusting its size: a declared Content-Length over
// the limit is refused before reading, and a stream that grows past it is cut off.
import { badRequest, tooLarge, unsupportedMediaType } from "./response";

export async function readJsonBody(request: Request, limitBytes: number): Promise<{ value: unknown } | { response: Response }> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type.trim())) return { response: unsupportedMediaType() };
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limitBytes) return { response: tooLarge(limitBytes) };
  if (!request.body) return { response: badRequest("invalid_json", "The request body is empty.") };

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => undefined);
      return { response: tooLarge(limitBytes) };
    }
    chunks.push(value);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return { response: badRequest("invalid_json", "The request body is not valid UTF-8.") };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { response: badRequest("invalid_json", `The request body is not valid JSON: ${(error as Error).message}`) };
  }
}
