#pragma once

#include "corspolicy.h"
#include "io/weightdata.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <optional>
#include <variant>

namespace tfjs {

class UploadSpool;

// One request as the model server's endpoints see it (no HTTP library type).
struct ServeRequest
{
    QByteArray method;
    QByteArray rawPath;                      // as sent, still percent-encoded, without the query
    QMap<QByteArray, QByteArray> headers;    // names in lower case
    QMap<QByteArray, QByteArray> arguments;  // the query's, percent-decoded
    qint64 contentLength = -1;               // -1: none given (chunked or no body)

    QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
    bool hasBody() const
    {
        return contentLength > 0 || header("transfer-encoding").toLower().contains("chunked");
    }
};

struct ServeResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    HeaderList headers;
    std::optional<WeightData> weights; // when set, the body: streamed from these bytes
};

// The endpoints behind HttpDaemon. Called on the server's threads, several at once.
class ServeHandler
{
public:
    virtual ~ServeHandler() = default;

    // Receive the request's body as an upload, spooling weights into `spoolFolder`.
    struct Upload
    {
        QString spoolFolder;
    };
    // Called once the headers are in, before any body byte: the answer, or Upload.
    virtual std::variant<ServeResponse, Upload> begin(const ServeRequest &request) = 0;
    // Called once an Upload's body is in (`upload` holds its parts), or when it was refused on
    // the way (the error has the HTTP status: 413 over the limit, 400 malformed multipart).
    virtual ServeResponse finish(const ServeRequest &request, const Result<UploadSpool *> &upload) = 0;
};

} // namespace tfjs
