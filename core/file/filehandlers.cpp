#include "filehandlers.h"

#include "downloadshandler.h"
#include "filehandler.h"

namespace tfjs {

void registerFileHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    registry.add(QStringLiteral("file"), [](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
        if (url.path.isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The file path in '%1' is empty.").arg(url.text));
        return std::make_unique<FileHandler>(url.path);
    });
    // The folder is resolved when a handler is made, so a setting changed later still counts.
    registry.add(QStringLiteral("downloads"),
                 [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
                     return std::make_unique<DownloadsHandler>(downloadsDirectory(options),
                                                               url.path);
                 });
}

} // namespace tfjs
