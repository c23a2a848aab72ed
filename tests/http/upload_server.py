#!/usr/bin/env python3
"""Test upload server shaped like the Flask example linked from TF.js's tf.io.http() docs.

POST (or PUT) /upload reads the multipart parts request.files['model.json'] and
request.files['model.weights.bin'], as the example does, stores every part under
STORAGE/<id>/<part name> and answers 200 with JSON {id, modelUrl, parts}. The stored model is
served back at /models/<id>/model.json (its manifest says ./model.weights.bin, served next to
it), and what was received at /uploads/<id>: the method, the request headers and, per part in
the order received, its name, filename, content type, size and SHA-256.
GET /uploads lists the ids. CORS is open, as in the example.

Answers as real servers give them to uploads, for the error paths:
- POST/PUT /early/<status>?read=N: reads N bytes of the request body (default 0), then answers
  <status> with a JSON body {"error": ..., "read": N} without reading the rest, as Flask
  routes that check a token or a size first do; the server then closes the connection with
  the body unread (the kernel resets it). With &hold=1 it keeps the connection after the
  answer, reading nothing more, until the client closes it (at most 60 s).
- POST/PUT /moved/<status>?to=PATH: answers the redirect <status> (301, 302, 303, 307, 308)
  with Location: PATH (default /upload), the body unread (&hold=1 as above).
- Any other path: Flask's own 404 page, the body unread.
Each request's method, path and Via header (a proxy's mark) are appended to
STORAGE/requests.jsonl, one JSON object a line.

Usage: upload_server.py --storage DIR [--port 0]
Binds 127.0.0.1 only and prints "PORT <n>" on stdout once it listens.
"""
import argparse
import hashlib
import json
import os
import re
import select
import sys
import threading

from flask import Flask, Response, abort, jsonify, redirect, request, send_from_directory
from werkzeug.serving import make_server

SAFE_PART = re.compile(r'^[A-Za-z0-9._-]{1,100}$')


def create_app(storage):
    app = Flask(__name__)
    lock = threading.Lock()
    counter = [0]

    @app.before_request
    def log_request():
        line = json.dumps({'method': request.method, 'path': request.path,
                           'via': request.headers.get('Via', '')})
        with lock, open(os.path.join(storage, 'requests.jsonl'), 'a') as f:
            f.write(line + '\n')

    @app.after_request
    def cors(response):
        response.headers['Access-Control-Allow-Origin'] = '*'
        return response

    def answer_early(response, status):
        """The response, before the request body is read. With ?hold=1 the connection is kept
        after it, nothing more read, until the client closes it; else it closes with the body
        unread."""
        response.status_code = status
        if not request.args.get('hold'):
            return response
        body, connection = response.get_data(), request.environ['werkzeug.socket']

        def answer_then_hold():
            yield body  # sent and flushed before the generator goes on
            poller = select.poll()
            poller.register(connection, select.POLLRDHUP)
            poller.poll(60000)
        return Response(answer_then_hold(), status=status, headers=dict(response.headers))

    @app.route('/early/<int:status>', methods=['POST', 'PUT'])
    def early(status):
        wanted = request.args.get('read', default=0, type=int)
        got = len(request.stream.read(wanted)) if wanted > 0 else 0
        messages = {401: 'a valid token is needed', 403: 'uploads are closed here',
                    404: 'no such model slot', 413: 'the model is too large',
                    500: 'the storage backend failed'}
        return answer_early(jsonify(error=messages.get(status, 'refused'), read=got), status)

    @app.route('/moved/<int:status>', methods=['POST', 'PUT'])
    def moved(status):
        return answer_early(redirect(request.args.get('to', '/upload'), code=status), status)

    @app.route('/upload', methods=['POST', 'PUT'])
    def upload():
        if 'model.json' not in request.files:
            return jsonify(error='the multipart part "model.json" is missing',
                           received=list(request.files.keys())), 400
        model_json = request.files['model.json']
        weights = request.files.get('model.weights.bin')  # absent for topology-only models
        with lock:
            counter[0] += 1
            uid = '%04d' % counter[0]
        folder = os.path.join(storage, uid)
        os.makedirs(folder)
        parts = []
        for index, (name, part) in enumerate(request.files.items(multi=True)):
            stored = name if SAFE_PART.match(name) and name not in ('meta.json',) \
                else 'part-%d' % index
            path = os.path.join(folder, stored)
            part.save(path)
            digest = hashlib.sha256()
            with open(path, 'rb') as f:
                for chunk in iter(lambda: f.read(1 << 20), b''):
                    digest.update(chunk)
            parts.append({'name': name, 'filename': part.filename,
                          'contentType': part.content_type, 'bytes': os.path.getsize(path),
                          'sha256': digest.hexdigest(), 'stored': stored})
        meta = {'id': uid, 'method': request.method, 'path': request.full_path,
                'contentType': request.content_type,
                'headers': [[k, v] for k, v in request.headers.items()],
                'formFields': list(request.form.keys()),
                'hasModelJson': model_json is not None, 'hasWeights': weights is not None,
                'parts': parts}
        with open(os.path.join(folder, 'meta.json'), 'w') as f:
            json.dump(meta, f)
        return jsonify(id=uid, modelUrl='/models/%s/model.json' % uid, parts=parts), 200

    @app.route('/models/<uid>/<path:name>')
    def model_file(uid, name):
        if not SAFE_PART.match(uid):
            abort(404)
        return send_from_directory(os.path.join(storage, uid), name)

    @app.route('/uploads/<uid>')
    def upload_meta(uid):
        if not SAFE_PART.match(uid):
            abort(404)
        return send_from_directory(os.path.join(storage, uid), 'meta.json')

    @app.route('/uploads')
    def uploads():
        return jsonify(sorted(name for name in os.listdir(storage)
                              if os.path.isdir(os.path.join(storage, name))))

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--storage', required=True)
    parser.add_argument('--port', type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.storage, exist_ok=True)
    server = make_server('127.0.0.1', args.port, create_app(args.storage), threaded=True)
    print('PORT %d' % server.server_port, flush=True)
    server.serve_forever()


if __name__ == '__main__':
    sys.exit(main())
