#include "handlers.h"

#include "filehandler.h"
#include "http/httphandlers.h"
#include "store/storehandlers.h"

namespace tfjs {

HandlerRegistry makeDefaultRegistry(const HandlerOptions &options)
{
    HandlerRegistry registry;
    registry.setDurability(options.durability);
    registry.add(QStringLiteral("file"), [](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
        if (url.path.isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The file path in '%1' is empty.").arg(url.text));
        return std::make_unique<FileHandler>(url.path);
    });
    registerStoreHandlers(registry, options);
    registerHttpHandlers(registry, options);
    return registry;
}

} // namespace tfjs
