#!/usr/bin/env python3
"""Test upload server shaped like the Flask example linked from TF.js's tf.io.http() docs.

POST (or PUT) /upload reads the multipart parts request.files['model.json'] and
request.files['model.weights.bin'], as the example does, stores every part under
STORAGE/<id>/<part name> and answers 200 with JSON {id, modelUrl, parts}. The stored model is
served back at /models/<id>/model.json (its manifest says ./model.weights.bin, served next to
it), and what was received at /uploads/<id>: the method, the request headers and, per part in
the order received, its name, filename, content type, size and SHA-256.
GET /uploads lists the ids. CORS is open, as in the example.

Usage: upload_server.py --storage DIR [--port 0]
Binds 127.0.0.1 only and prints "PORT <n>" on stdout once it listens.
"""
import argparse
import hashlib
import json
import os
import re
import sys
import threading

from flask import Flask, abort, jsonify, request, send_from_directory
from werkzeug.serving import make_server

SAFE_PART = re.compile(r'^[A-Za-z0-9._-]{1,100}$')


def create_app(storage):
    app = Flask(__name__)
    lock = threading.Lock()
    counter = [0]

    @app.after_request
    def cors(response):
        response.headers['Access-Control-Allow-Origin'] = '*'
        return response

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
        return jsonify(sorted(os.listdir(storage)))

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
