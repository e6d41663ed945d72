/**
 * The web apps' one way to call the API: JSON in and out, the session token as a bearer token,
 * and every failure returned as the server's stable error code rather than thrown.
 */

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; code: string; message: string };

export type Api = {
  get<T>(path: string): Promise<ApiResult<T>>;
  post<T>(path: string, body?: unknown): Promise<ApiResult<T>>;
};

/**
 * The token lives in sessionStorage: it survives a reload but not the tab, and a bearer token is
 * never sent by the browser on its own, so another site cannot ride on the session (no CSRF).
 */
export function createApi(
  storageKey: string,
  onSignedOut: () => void,
): Api & {
  token(): string | null;
  setToken(token: string | null): void;
} {
  const token = () => sessionStorage.getItem(storageKey);
  const setToken = (value: string | null) => {
    if (value === null) {
      sessionStorage.removeItem(storageKey);
    } else {
      sessionStorage.setItem(storageKey, value);
    }
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> => {
    const headers: Record<string, string> = {};
    const current = token();
    if (current !== null) {
      headers.authorization = `Bearer ${current}`;
    }
    if (body !== undefined) {
      headers["content-type"] = "application/json";
    }
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      return { ok: false, status: 0, code: "network_error", message: "The server could not be reached." };
    }
    if (response.status === 204) {
      return { ok: true, value: undefined as T };
    }
    const payload = (await response.json().catch(() => null)) as unknown;
    if (response.ok) {
      return { ok: true, value: payload as T };
    }
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401) {
      setToken(null);
      onSignedOut();
    }
    return {
      ok: false,
      status: response.status,
      code: error?.code ?? "http_error",
      message: error?.message ?? `HTTP ${response.status}`,
    };
  };
  return {
    token,
    setToken,
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body ?? {}),
  };
}
