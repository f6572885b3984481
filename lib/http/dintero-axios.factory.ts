import axios, { type AxiosInstance } from 'axios';
import { PACKAGE_NAME, PACKAGE_VERSION, USER_AGENT } from '../options/dintero-auth.constants.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';

/** The axios instance behind `DinteroHttpService`: one per module registration, never the global one. */
export function createDinteroAxios(config: DinteroAuthConfig): AxiosInstance {
  return axios.create({
    baseURL: config.baseUrl,
    // No proxy for this instance's other requests either, as before; and no socket-idle
    // timeout: the interceptor holds each call to a total deadline of `apiTimeoutMs`. No agents
    // either: the interceptor puts the module's on Dintero calls only, so that the error of any
    // other call leads to no socket that carries a token.
    proxy: false,
    headers: {
      'User-Agent': USER_AGENT,
      Accept: 'application/json',
      'Dintero-System-Name': config.systemName,
      'Dintero-System-Version': config.systemVersion,
      'Dintero-System-Plugin-Name': PACKAGE_NAME,
      'Dintero-System-Plugin-Version': PACKAGE_VERSION,
    },
  });
}
