#include "droprequest.h"

#include "file/modelfolder.h"

#include <QFileInfo>
#include <QMimeData>

namespace tfjs::ui {

namespace {

// A URL the registry opens itself (file:// URLs are sorted into folders, JSONs and files).
bool isModelUrl(const QUrl &url, const HandlerRegistry &registry)
{
    return !url.isLocalFile() && registry.can(url.toString(), Capability::Load);
}

// "http://, https://, indexeddb://" for the message that refuses other URLs.
QString loadableSchemes(const HandlerRegistry &registry)
{
    QStringList schemes;
    for (const SchemeInfo &info : registry.entriesWith(Capability::Load)) {
        if (info.scheme != QLatin1String("file"))
            schemes << info.scheme + QStringLiteral("://");
    }
    return schemes.join(QStringLiteral(", "));
}

QString names(const QStringList &paths)
{
    QStringList names;
    for (const QString &path : paths)
        names << QFileInfo(path).fileName();
    return names.join(QStringLiteral(", "));
}

} // namespace

QList<QUrl> droppedUrls(const QMimeData *mime)
{
    if (!mime)
        return {};
    if (mime->hasUrls())
        return mime->urls();
    if (mime->hasText()) {
        const QString text = mime->text().trimmed();
        const QUrl url(text, QUrl::StrictMode);
        if (!text.contains(QLatin1Char('\n')) && text.contains(QLatin1String("://")) && url.isValid()
            && !url.scheme().isEmpty())
            return {url};
    }
    return {};
}

bool canDrop(const QMimeData *mime)
{
    return !droppedUrls(mime).isEmpty();
}

DropRequest dropRequestFor(const QList<QUrl> &urls, const HandlerRegistry &registry)
{
    DropRequest request;
    QStringList jsons, others, folders;
    QStringList unsupported;
    for (const QUrl &url : urls) {
        if (isModelUrl(url, registry)) {
            request.sources.push_back(ModelSource::fromUrl(url.toString()));
            continue;
        }
        if (!url.isLocalFile()) {
            unsupported << url.toString();
            continue;
        }
        const QString path = url.toLocalFile();
        const QFileInfo info(path);
        if (info.isDir())
            folders << info.absoluteFilePath();
        else if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
            jsons << info.absoluteFilePath();
        else
            others << info.absoluteFilePath();
    }
    if (!unsupported.isEmpty()) {
        request.sources.clear();
        request.problem = QObject::tr("Only local files and folders and %1 URLs can be opened; "
                                      "dropped: %2.")
                              .arg(loadableSchemes(registry), unsupported.join(QStringLiteral(", ")));
        return request;
    }
    for (const QString &folder : folders) {
        if (!modelJsonInFolder(folder))
            request.folders << folder;
        else
            request.sources.push_back(ModelSource::fromUrl(folder));
    }
    if (!others.isEmpty()) {
        if (jsons.isEmpty()) {
            request.sources.clear();
            request.problem = QObject::tr("No model JSON among the dropped files (%1): drop the "
                                          "model JSON together with its weight files.")
                                  .arg(names(others));
            return request;
        }
        if (jsons.size() > 1) {
            request.sources.clear();
            request.problem = QObject::tr("Drop one model JSON at a time with its weight files; "
                                          "dropped %1 JSON files: %2.")
                                  .arg(jsons.size())
                                  .arg(names(jsons));
            return request;
        }
        request.sources.push_back(ModelSource::fromFiles(QStringList{jsons.front()} + others));
        return request;
    }
    for (const QString &json : jsons)
        request.sources.push_back(ModelSource::fromUrl(json));
    if (request.sources.empty() && request.folders.isEmpty())
        request.problem = QObject::tr("Nothing to open was dropped.");
    return request;
}

} // namespace tfjs::ui
