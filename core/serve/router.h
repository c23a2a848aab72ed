#pragma once

#include "base/error.h"

#include <QByteArray>
#include <QString>

namespace tfjs {

// What a request to the model server asks for. The server's URLs:
//   GET|HEAD /models                                the store's models (JSON)
//   GET|HEAD /models/<path>/model.json              a model's JSON (weights manifest rewritten)
//   GET|HEAD /models/<path>/model.weights.bin       its weight bytes
//   GET|HEAD /models/<path>/model.weights.<tag>.bin the weights of the version a model.json
//                                                   named so (ServedVersions)
//   POST|PUT /models/<path>                         save (TF.js's http handler's multipart body)
//   DELETE   /models/<path>                         move to the store's trash
//   OPTIONS  /models[/...]                          CORS preflight
// <path> is indexeddb://<path>: one or more '/'-separated segments.
enum class RouteKind { List, ModelJson, Weights, Save, Delete, Preflight };

struct Route
{
    RouteKind kind = RouteKind::List;
    QString modelPath; // decoded; empty for List and a Preflight of /models
    QString version;   // Weights: the tag of model.weights.<tag>.bin, else empty
};

inline constexpr const char *kModelJsonName = "model.json";
inline constexpr const char *kWeightsName = "model.weights.bin";
// "model.weights.<tag>.bin", `tag` 16 lower-case hex digits.
QString taggedWeightsName(const QString &tag);

// Pure: `rawPath` as the request line has it, still percent-encoded, without the query. Each
// segment is percent-decoded on its own, and refused (400) when empty, "." or "..", or when it
// holds (raw or decoded) a backslash, a '/', a NUL or another control character, or is not
// UTF-8; so no encoding can reach another model than the one the path spells.
// Errors carry the HTTP status in Error::status: 400 (a refused path), 404 (not a URL of the
// server), 405 (a method the URL does not take).
[[nodiscard]] Result<Route> route(const QByteArray &method, const QByteArray &rawPath);

} // namespace tfjs
