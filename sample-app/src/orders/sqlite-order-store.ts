import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import initSqlJs, { type Database } from 'sql.js';
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

/**
 * Orders in an SQLite file, through sql.js: SQLite compiled to WebAssembly, shipped inside the
 * npm package. It runs on Node 20 (`node:sqlite` needs 22), with no native build and nothing
 * downloaded at install. It works on an in-memory copy and writes the whole file after each
 * change (a temporary file renamed over the old one, so a crash leaves one or the other): right
 * for a sample's order book, one process per file; a shop with volume sets DATABASE_URL.
 */
export class SqliteOrderStore implements OrderStore {
  readonly kind: string;

  private constructor(
    private readonly db: Database,
    private readonly file: string,
  ) {
    this.kind = `SQLite file ${file}`;
  }

  static async open(file: string): Promise<SqliteOrderStore> {
    const SQL = await initSqlJs();
    let image: Buffer | undefined;
    try {
      image = readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const store = new SqliteOrderStore(image ? new SQL.Database(image) : new SQL.Database(), file);
    for (const statement of ORDER_TABLES) store.db.run(statement);
    store.persist();
    return store;
  }

  order(merchantReference: string): Promise<Order | undefined> {
    return Promise.resolve(this.orderWhere('merchant_reference', merchantReference));
  }

  orderOfTransaction(transactionId: string): Promise<Order | undefined> {
    return Promise.resolve(this.orderWhere('transaction_id', transactionId));
  }

  saveOrder(order: Order): Promise<void> {
    this.db.run(SAVE_ORDER, orderRow(order));
    this.persist();
    return Promise.resolve();
  }

  operations(transactionId: string): Promise<OperationRecord> {
    return Promise.resolve(
      operationsOf(this.row('SELECT pending, failure FROM sample_operations WHERE transaction_id = $1', transactionId)),
    );
  }

  saveOperations(transactionId: string, record: OperationRecord): Promise<void> {
    this.db.run(SAVE_OPERATIONS, operationsRow(transactionId, record));
    this.persist();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private orderWhere(column: 'merchant_reference' | 'transaction_id', value: string): Order | undefined {
    const row = this.row(`SELECT ${ORDER_COLUMNS} FROM sample_orders WHERE ${column} = $1 LIMIT 1`, value);
    return row && orderOf(row);
  }

  private row(sql: string, value: string): Record<string, unknown> | undefined {
    const statement = this.db.prepare(sql, [value]);
    try {
      return statement.step() ? statement.getAsObject() : undefined;
    } finally {
      statement.free();
    }
  }

  private persist(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, this.db.export());
    renameSync(temporary, this.file);
  }
}
