#include "handlers.h"

#include "filehandler.h"

namespace tfjs {

HandlerRegistry makeDefaultRegistry(const HandlerOptions &options)
{
    Q_UNUSED(options)
    HandlerRegistry registry;
    registry.add(QStringLiteral("file"), [](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
        if (url.path.isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The file path in '%1' is empty.").arg(url.text));
        return std::make_unique<FileHandler>(url.path);
    });
    return registry;
}

} // namespace tfjs
