#include "modelfolder.h"

#include "filehandler.h"

#include <QDir>
#include <QFileInfo>

namespace tfjs {

Result<QString> modelJsonInFolder(const QString &folder)
{
    const QDir dir(folder);
    if (const QString model = dir.filePath(QLatin1String(FileHandler::kModelFile)); QFileInfo(model).isFile())
        return model;
    const QStringList jsons = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    if (jsons.size() == 1)
        return dir.filePath(jsons.front());
    Error error = jsons.isEmpty()
                      ? Error{ErrorCode::NotFound,
                              QStringLiteral("The folder %1 holds no model JSON file; give the path "
                                             "of the model JSON file to load.")
                                  .arg(folder)}
                      : Error{ErrorCode::InvalidArgument,
                              QStringLiteral("The folder %1 holds %2 JSON files (%3) and no "
                                             "model.json; give the path of the one to load.")
                                  .arg(folder)
                                  .arg(jsons.size())
                                  .arg(jsons.join(QStringLiteral(", ")))};
    error.path = folder;
    return fail(std::move(error));
}

} // namespace tfjs
