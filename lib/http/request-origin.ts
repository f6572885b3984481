import axios, { type AxiosRequestConfig } from 'axios';

/**
 * The origin a request will really go to, resolved the way axios resolves it (`baseURL` +
 * `url`, an absolute `url` winning unless `allowAbsoluteUrls` is false), or undefined when it
 * has no absolute URL.
 */
export function requestOrigin(config: AxiosRequestConfig): string | undefined {
  try {
    return new URL(axios.getUri(config)).origin;
  } catch {
    return undefined;
  }
}
