#include "serveoptions.h"

namespace tfjs {

Result<ServeOptions> ServeOptions::validate() const
{
    if (bind.isNull())
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The bind address is not an IP address."));
    if (!isLoopback() && token.isEmpty())
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("Serving on %1 (not loopback) needs a token: every write must "
                                   "then send 'Authorization: Bearer <token>'.")
                        .arg(bind.toString()));
    if (bodyLimit <= 0 || jsonLimit <= 0 || connectionLimit <= 0)
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The server's body, model.json and connection limits must be positive."));
    return *this;
}

} // namespace tfjs
