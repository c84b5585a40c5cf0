// The bench's baseline (SPEC §6): a bare Express handler returning a small HTML page, started in its own
// process exactly like the app, so every figure can be read as a share of what Express alone does here.
import http from 'node:http';
import express from 'express';

const html =
  '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Baslinje</title></head>' +
  '<body><main><h1>Årets misstag</h1><p>En tom sida för att mäta Express utan något annat.</p></main></body></html>';

const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.type('html').send(html);
});
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ok' });
});

const server = http.createServer(app);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
