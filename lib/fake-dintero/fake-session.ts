/** A JSON object as the fake keeps it. */
export type FakeJson = Record<string, unknown>;

/** A session in Dintero's shape (there is no status field: `transaction_id` and `cancelled_at` tell). */
export interface FakeSession {
  id: string;
  created_at: string;
  updated_at: string;
  /** After this the hosted page is gone and the session cannot be paid. */
  expires_at: string;
  url: FakeJson;
  order: FakeJson;
  customer?: unknown;
  metadata: FakeJson;
  configuration: FakeJson;
  transaction_id?: string;
  cancelled_at?: string;
  cancelled_by?: string;
  events: { id: string; created_at: string; name: string }[];
}
