import pg from 'pg';
import {
  ORDER_COLUMNS,
  ORDER_TABLES,
  type OperationRecord,
  operationsOf,
  operationsRow,
  type Order,
  orderOf,
  orderRow,
  type OrderStore,
  SAVE_OPERATIONS,
  SAVE_ORDER,
} from './order-store.js';

/** Orders in PostgreSQL (`DATABASE_URL`): what a shop with more than one process uses. */
export class PostgresOrderStore implements OrderStore {
  readonly kind = 'PostgreSQL (DATABASE_URL)';

  private constructor(private readonly pool: pg.Pool) {}

  static async open(connectionString: string): Promise<PostgresOrderStore> {
    const pool = new pg.Pool({ connectionString, max: 4 });
    try {
      for (const statement of ORDER_TABLES) await pool.query(statement);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresOrderStore(pool);
  }

  async order(merchantReference: string): Promise<Order | undefined> {
    return this.orderWhere('merchant_reference', merchantReference);
  }

  async orderOfTransaction(transactionId: string): Promise<Order | undefined> {
    return this.orderWhere('transaction_id', transactionId);
  }

  async saveOrder(order: Order): Promise<void> {
    await this.pool.query(SAVE_ORDER, orderRow(order));
  }

  async operations(transactionId: string): Promise<OperationRecord> {
    const { rows } = await this.pool.query<Record<string, unknown>>(
      'SELECT pending, failure FROM sample_operations WHERE transaction_id = $1',
      [transactionId],
    );
    return operationsOf(rows[0]);
  }

  async saveOperations(transactionId: string, record: OperationRecord): Promise<void> {
    await this.pool.query(SAVE_OPERATIONS, operationsRow(transactionId, record));
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async orderWhere(column: 'merchant_reference' | 'transaction_id', value: string): Promise<Order | undefined> {
    const { rows } = await this.pool.query<Record<string, unknown>>(
      `SELECT ${ORDER_COLUMNS} FROM sample_orders WHERE ${column} = $1 LIMIT 1`,
      [value],
    );
    return rows[0] && orderOf(rows[0]);
  }
}
