#pragma once

#include "corspolicy.h"
#include "handlers/handleroptions.h"
#include "handlers/registry.h"
#include "servedversions.h"
#include "servehandler.h"
#include "serveoptions.h"

#include <atomic>
#include <functional>

namespace tfjs {

// The model server's endpoints (see router.h) over a store (ServeOptions::scheme: indexeddb://
// by default, or team://), through the same
// registry and ModelManager as the CLI and the app: a save is the store's save (refused onto an
// existing model unless the query has overwrite=1 or true: 409; a replaced model goes to the
// trash), a DELETE is `remove` (to the trash). Checks before any body byte, in order: Host
// (DNS rebinding: 403), the path (400/404/405), Origin (403 for a page not allowed), the token
// for writes (401; DELETE always needs one: 403 when the server has none), a taken destination
// (409). Errors answer {"error": message, "code": name} with a status. From indexeddb://, a
// model.json names its weights by the version it describes (ServedVersions), so a model
// replaced between the two GETs is never served mixed.
class ModelEndpoints final : public ServeHandler
{
public:
    ModelEndpoints(const ServeOptions &options, const HandlerOptions &handlerOptions);

    // The port the server listens on (the Host check needs it; known once it listens).
    void setPort(quint16 port);
    QString storeDir() const { return m_storeDir; }

    // Called on the server's threads.
    std::function<void(const QString &url, const ModelArtifactsInfo &info)> onStored;
    std::function<void(const QString &what, int status)> onFailed;

    std::variant<ServeResponse, Upload> begin(const ServeRequest &request) override;
    ServeResponse finish(const ServeRequest &request, const Result<UploadSpool *> &upload) override;

private:
    ServeResponse answer(const ServeRequest &request, int status, const Json &body) const;
    ServeResponse refuse(const ServeRequest &request, const Error &error) const;
    ServeResponse list(const ServeRequest &request) const;
    ServeResponse modelJson(const ServeRequest &request, const QString &path) const;
    ServeResponse weights(const ServeRequest &request, const QString &path,
                          const QString &version) const;
    ServeResponse remove(const ServeRequest &request, const QString &path) const;
    std::optional<Error> checkToken(const ServeRequest &request, bool required) const;
    CorsPolicy cors() const;

    ServeOptions m_options;
    HandlerRegistry m_registry;
    QString m_storeDir;
    std::atomic<quint16> m_port;
    mutable ServedVersions m_served;
};

// The HTTP status for an error: Error::status when it is one, else by code (Exists 409,
// NotFound 404, malformed input 400, Quota 507, the rest 500).
int httpStatusFor(const Error &error);

} // namespace tfjs
