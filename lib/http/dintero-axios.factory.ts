import axios, { type AxiosInstance } from 'axios';
import { PACKAGE_NAME, PACKAGE_VERSION, USER_AGENT } from '../dintero-auth.constants.js';
import type { DinteroAuthConfig } from '../options/dintero-auth.config.js';

/** The axios instance behind `DinteroHttpService`: one per module registration, never the global one. */
export function createDinteroAxios(config: DinteroAuthConfig): AxiosInstance {
  return axios.create({
    baseURL: config.baseUrl,
    timeout: config.apiTimeoutMs,
    // axios would send an https request with its token to an http proxy in plain text.
    proxy: false,
    httpsAgent: config.httpsAgent,
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
