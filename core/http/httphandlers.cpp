#include "httphandlers.h"

#include "httphandler.h"
#include "httpurl.h"

namespace tfjs {

void registerHttpHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    const HttpOptions http = options.http;
    const auto factory = [http](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
        if (auto parsed = parseHttpUrl(url.text, QStringLiteral("a model")); !parsed)
            return fail(parsed.error());
        return std::make_unique<HttpHandler>(url.text.trimmed(), http);
    };
    for (const QString &scheme : {QStringLiteral("http"), QStringLiteral("https")}) {
        SchemeInfo info;
        info.scheme = scheme;
        info.capabilities = Capability::Load | Capability::Save; // saves are uploads
        info.displayName = QStringLiteral("Web server");
        info.location = SchemeLocation::Url;
        info.rank = 4;
        registry.add(info, factory);
    }
}

} // namespace tfjs
