#include "filehandlers.h"

#include "downloadshandler.h"
#include "filehandler.h"

namespace tfjs {

void registerFileHandlers(HandlerRegistry &registry, const HandlerOptions &options)
{
    SchemeInfo file;
    file.scheme = QStringLiteral("file");
    file.capabilities = Capability::Load | Capability::Save | Capability::Watch;
    file.displayName = QStringLiteral("Folder");
    file.iconName = QStringLiteral("folder");
    file.location = SchemeLocation::Folder;
    file.destinationLabel = QStringLiteral("Folder (model.json + weights.bin)");
    file.rank = 2;
    registry.add(file, [](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
        if (url.path.isEmpty())
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The file path in '%1' is empty.").arg(url.text));
        return std::make_unique<FileHandler>(url.path);
    });
    // The folder is resolved when a handler is made, so a setting changed later still counts.
    SchemeInfo downloads;
    downloads.scheme = QStringLiteral("downloads");
    downloads.capabilities = Capability::Save;
    downloads.displayName = QStringLiteral("Downloads folder");
    downloads.iconName = QStringLiteral("folder");
    downloads.defaultName = QStringLiteral("model");
    downloads.rank = 3;
    registry.add(downloads,
                 [options](const ModelUrl &url) -> Result<std::unique_ptr<IOHandler>> {
                     return std::make_unique<DownloadsHandler>(downloadsDirectory(options),
                                                               url.path);
                 });
}

} // namespace tfjs
