// The app server's first import (server/http/app-server.ts): stamps every request with the TCP peer's address in
// x-onhand-peer, overwriting any a client sent, because route handlers and server actions cannot see the socket
// and Next's server keeps a client's own X-Forwarded-For. Read by server/http/client-address.ts, which believes the
// header only when this file ran in the same process (the global flag below), for Next's routes and the lean /api/v1
// path alike.
const http = require('node:http');

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req) {
  if (event === 'request' && req && req.headers) req.headers['x-onhand-peer'] = (req.socket && req.socket.remoteAddress) || '';
  return emit.apply(this, arguments);
};
globalThis[Symbol.for('onhand.peerHeader')] = true;
