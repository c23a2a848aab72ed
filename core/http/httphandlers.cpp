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
    registry.add(QStringLiteral("http"), factory);
    registry.add(QStringLiteral("https"), factory);
}

} // namespace tfjs
