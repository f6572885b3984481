import type { IncomingHttpHeaders } from 'node:http';
import { ScriptedServer } from './scripted-server.js';

/** A server on 127.0.0.1 that is not Dintero: it records the headers it receives and answers 200. */
export class RecordingServer extends ScriptedServer {
  readonly received: { path: string; headers: IncomingHttpHeaders }[] = [];

  constructor() {
    super((req, res) => {
      this.received.push({ path: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  }
}
