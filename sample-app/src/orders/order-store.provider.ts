import { Logger, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { resolve } from 'node:path';
import { ORDER_STORE, type OrderStore } from './order-store.js';
import { PostgresOrderStore } from './postgres-order-store.js';
import { SqliteOrderStore } from './sqlite-order-store.js';

/** Where the SQLite file goes without `ORDERS_DB_FILE`: beside where the app was started. */
export const DEFAULT_ORDERS_FILE = '.data/sample-orders.sqlite';

/** The order store: PostgreSQL when `DATABASE_URL` is set, else an SQLite file (`ORDERS_DB_FILE`). */
export const orderStoreProvider: Provider = {
  provide: ORDER_STORE,
  inject: [ConfigService],
  useFactory: async (config: ConfigService): Promise<OrderStore> => {
    const url = config.get<string>('DATABASE_URL');
    const store = url
      ? await PostgresOrderStore.open(url)
      : await SqliteOrderStore.open(resolve(config.get<string>('ORDERS_DB_FILE') ?? DEFAULT_ORDERS_FILE));
    new Logger('Orders').log(`Orders are kept in ${store.kind}`);
    return store;
  },
};
