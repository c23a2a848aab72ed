#!/usr/bin/env python3
"""Upload sink for the loopback benchmarks: reads and discards each POST/PUT body, answers 200
{"received": N}. Prints "port N" (a free port on 127.0.0.1) when it listens."""
import http.server, json
class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_POST(self):
        left = int(self.headers.get('Content-Length', 0))
        got = 0
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 20))
            if not chunk:
                break
            got += len(chunk)
            left -= len(chunk)
        body = json.dumps({'received': got}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_PUT = do_POST
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Sink)
print('port %d' % server.server_port, flush=True)
server.serve_forever()
