import axios from 'axios';
import type { FakeDinteroClient } from 'nestjs-dintero-auth/testing';

/** One plain client-credentials request, as the baselines make it. */
export async function fetchToken(baseUrl: string, client: FakeDinteroClient): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const { data } = await axios.post<{ access_token: string; expires_in: number }>(
    `${baseUrl}/accounts/${client.accountId}/auth/token`,
    { grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${client.accountId}` },
    { auth: { username: client.clientId, password: client.clientSecret } },
  );
  return { accessToken: data.access_token, expiresInSeconds: data.expires_in };
}
