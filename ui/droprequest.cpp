#include "droprequest.h"

#include "file/modelfolder.h"

#include <QFileInfo>
#include <QMimeData>

namespace tfjs::ui {

namespace {

bool isModelUrl(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    return scheme == QLatin1String("http") || scheme == QLatin1String("https");
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
        if (!text.contains(QLatin1Char('\n')) && url.isValid() && isModelUrl(url))
            return {url};
    }
    return {};
}

bool canDrop(const QMimeData *mime)
{
    return !droppedUrls(mime).isEmpty();
}

DropRequest dropRequestFor(const QList<QUrl> &urls)
{
    DropRequest request;
    QStringList jsons, others, folders;
    QStringList unsupported;
    for (const QUrl &url : urls) {
        if (isModelUrl(url)) {
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
        request.problem = QObject::tr("Only local files and folders and http(s) URLs can be "
                                      "opened; dropped: %1.")
                              .arg(unsupported.join(QStringLiteral(", ")));
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
