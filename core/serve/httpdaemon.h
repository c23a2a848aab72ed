#pragma once

#include "base/error.h"
#include "serveoptions.h"

#include <functional>
#include <memory>

struct MHD_Daemon;

namespace tfjs {

class ServeHandler;

// The HTTP server: libmicrohttpd (the only file that includes microhttpd.h), one thread per
// connection, bound to ServeOptions::bind. It hands `handler` each request with its raw path
// (MHD's own unescaping is switched off: the router decodes segment by segment), receives
// uploads through MHD's multipart post processor into an UploadSpool, and answers what the
// handler says. Body rules: a declared body over the limit is refused before it is read when
// the client waits for "100 Continue"; otherwise the body is read and thrown away first
// (Node's fetch reports a failed request, not the status, when the answer comes early), up to
// kDrainLimit bytes declared, past which the connection is closed. A connection that ends
// before its upload is complete hands nothing to the handler.
class HttpDaemon
{
public:
    static constexpr qint64 kDrainLimit = qint64(4) << 30;
    using Log = std::function<void(const QString &line)>;

    // Listens on options.bind:options.port; `handler` must outlive the daemon. `log` gets
    // the library's own messages (never a header value).
    [[nodiscard]] static Result<std::unique_ptr<HttpDaemon>> start(const ServeOptions &options,
                                                                    ServeHandler &handler, Log log);
    // Stops listening and waits for the requests in progress (an upload in flight ends
    // without storing anything).
    ~HttpDaemon();
    HttpDaemon(const HttpDaemon &) = delete;
    HttpDaemon &operator=(const HttpDaemon &) = delete;

    quint16 port() const { return m_port; }

    struct State; // what MHD's callbacks see

private:
    HttpDaemon() = default;
    std::unique_ptr<State> m_state;
    MHD_Daemon *m_daemon = nullptr;
    quint16 m_port = 0;
};

} // namespace tfjs
