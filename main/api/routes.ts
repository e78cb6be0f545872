/**
 * The HTTP shell's paths (`tagkeeper serve`): the server (main/shells/http.ts,
 * http-files.ts) and every client over HTTP (main/api/http-client.ts, the renderer) read
 * them here. Everything under API_ROOT needs the token.
 */
export const API_ROOT = '/api/';
/** `POST /api/op/<operation>`: the request as JSON, answered by the envelope. */
export const OPERATION_PATH = '/api/op/';
/** `GET /api/events`: the core's events as text/event-stream. */
export const EVENTS_PATH = '/api/events';
/** `POST /api/files`: upload a bundle (the raw file as the body); `GET /api/files/<name>`: download an export. */
export const FILES_PATH = '/api/files';

/** The path of one file under FILES_PATH, its name encoded. */
export function filePath(name: string): string {
  return `${FILES_PATH}/${encodeURIComponent(name)}`;
}
