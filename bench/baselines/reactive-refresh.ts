import type { AxiosInstance } from 'axios';
import { createAuthRefreshInterceptor } from 'axios-auth-refresh';
import type { FakeDinteroClient } from 'nestjs-dintero-auth/testing';
import { fetchToken } from './fetch-token.js';

/**
 * Reactive refresh with `axios-auth-refresh`, the popular npm choice: the token is used until
 * Dintero answers 401, then refreshed (one refresh for the requests failing together) and the
 * failed requests are retried.
 */
export async function attachReactiveRefresh(instance: AxiosInstance, baseUrl: string, client: FakeDinteroClient): Promise<void> {
  let current = (await fetchToken(baseUrl, client)).accessToken;
  instance.interceptors.request.use((config) => {
    config.headers.Authorization = `Bearer ${current}`;
    return config;
  });
  // Its declarations name axios' CommonJS types; the instance is the same at run time.
  createAuthRefreshInterceptor(instance as never, async (failed: { response: { config: { headers: Record<string, string> } } }) => {
    current = (await fetchToken(baseUrl, client)).accessToken;
    failed.response.config.headers.Authorization = `Bearer ${current}`;
  });
}
