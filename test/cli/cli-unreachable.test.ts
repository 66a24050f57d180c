import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointUnreachableError } from '../../lib/cli/errors.js';
import { sendHttp } from '../../lib/cli/http.js';
import { runCorral } from './run-cli.js';

describe('an unreachable endpoint', () => {
  it('fails with a message naming the URL and exit code 1 when nothing listens', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const run = await runCorral(['get', '--endpoint', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: cannot reach the Corral API at http://127.0.0.1:${port}: ECONNREFUSED (is local mode running? Start it with "npm start" in the Corral repository, or pass --endpoint)\n`);
  });
});

describe('a connection that never completes', () => {
  // A TCP listener that never answers the TLS handshake: the connection is never usable, as with
  // an address whose packets are dropped. Without a connect timeout the request would hang.
  let silent: net.Server;
  let port: number;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('is given up after the connect timeout, naming the URL', async () => {
    const url = new URL(`https://127.0.0.1:${port}/services`);
    const attempt = sendHttp({ method: 'GET', url, headers: { host: url.host } }, { connectTimeoutMs: 200, requestTimeoutMs: 60_000 });
    await expect(attempt).rejects.toThrow(EndpointUnreachableError);
    await expect(attempt).rejects.toThrow(`cannot reach the Corral API at https://127.0.0.1:${port}: no connection within 0.2 s`);
  });
});
