#include "appsettings.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace tfjs::ui {

namespace {
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kFolders = QStringLiteral("browser/folders");
const QString kRecent = QStringLiteral("browser/recent");
const QString kStoreDir = QStringLiteral("store/dir");
const QString kTeamUri = QStringLiteral("team/uri");
const QString kDownloadsDir = QStringLiteral("store/downloadsDir");
const QString kDurableSaves = QStringLiteral("store/durableSaves");
const QString kServePort = QStringLiteral("serve/port");
const QString kBrowsersHome = QStringLiteral("browsers/homeDir");
const QString kEndpoints = QStringLiteral("upload/endpoints");
const QString kHeaderNames = QStringLiteral("upload/headerNames");
const QString kHeaderValues = QStringLiteral("upload/headerValues");
const QString kMethod = QStringLiteral("upload/method");
const QString kLastFolder = QStringLiteral("paths/lastFolder");
} // namespace

AppSettings::AppSettings() : m_settings(new QSettings)
{
    keepPrivate();
}

AppSettings::~AppSettings()
{
    m_settings->sync();
    keepPrivate();
    delete m_settings;
}

void AppSettings::keepPrivate() const
{
    // QSettings rewrites its file through QSaveFile, which keeps an existing file's permissions:
    // an empty file made 0600 first stays 0600 (checked again after each sync).
    const QString file = m_settings->fileName();
    if (file.isEmpty())
        return;
    if (!QFileInfo::exists(file)) {
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile created(file);
        if (!created.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return;
    }
    QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
}

QByteArray AppSettings::geometry() const { return m_settings->value(kGeometry).toByteArray(); }
void AppSettings::setGeometry(const QByteArray &geometry) { m_settings->setValue(kGeometry, geometry); }
QByteArray AppSettings::windowState() const { return m_settings->value(kState).toByteArray(); }
void AppSettings::setWindowState(const QByteArray &state) { m_settings->setValue(kState, state); }

QStringList AppSettings::folders() const { return m_settings->value(kFolders).toStringList(); }
void AppSettings::setFolders(const QStringList &folders) { m_settings->setValue(kFolders, folders); }

std::vector<BrowserEntry> AppSettings::recent() const
{
    std::vector<BrowserEntry> entries;
    const QVariantList list = m_settings->value(kRecent).toList();
    for (const QVariant &item : list) {
        const QVariantMap map = item.toMap();
        BrowserEntry entry;
        entry.url = map.value(QStringLiteral("url")).toString();
        if (entry.url.isEmpty())
            continue;
        entry.name = map.value(QStringLiteral("name"), entry.url).toString();
        entry.format = map.value(QStringLiteral("format")).toString();
        entry.size = map.value(QStringLiteral("size"), -1).toLongLong();
        entry.date = map.value(QStringLiteral("date")).toDateTime();
        entries.push_back(std::move(entry));
        if (int(entries.size()) >= kMaxRecent)
            break;
    }
    return entries;
}

void AppSettings::setRecent(const std::vector<BrowserEntry> &recent)
{
    QVariantList list;
    for (const BrowserEntry &entry : recent) {
        if (list.size() >= kMaxRecent)
            break;
        list << QVariantMap{{QStringLiteral("url"), entry.url},
                            {QStringLiteral("name"), entry.name},
                            {QStringLiteral("format"), entry.format},
                            {QStringLiteral("size"), entry.size},
                            {QStringLiteral("date"), entry.date}};
    }
    m_settings->setValue(kRecent, list);
}

QString AppSettings::storeDir() const { return m_settings->value(kStoreDir).toString(); }
void AppSettings::setStoreDir(const QString &dir) { m_settings->setValue(kStoreDir, dir); }
QString AppSettings::teamUri() const { return m_settings->value(kTeamUri).toString(); }
void AppSettings::setTeamUri(const QString &uri) { m_settings->setValue(kTeamUri, uri); }
QString AppSettings::downloadsDir() const { return m_settings->value(kDownloadsDir).toString(); }
void AppSettings::setDownloadsDir(const QString &dir) { m_settings->setValue(kDownloadsDir, dir); }
QString AppSettings::browsersHomeDir() const { return m_settings->value(kBrowsersHome).toString(); }
bool AppSettings::durableSaves() const { return m_settings->value(kDurableSaves, false).toBool(); }
void AppSettings::setDurableSaves(bool on) { m_settings->setValue(kDurableSaves, on); }

quint16 AppSettings::servePort() const
{
    bool ok = false;
    const uint port = m_settings->value(kServePort, kDefaultServePort).toUInt(&ok);
    return ok && port <= 65535 ? quint16(port) : kDefaultServePort;
}

void AppSettings::setServePort(quint16 port) { m_settings->setValue(kServePort, port); }

QStringList AppSettings::uploadEndpoints() const { return m_settings->value(kEndpoints).toStringList(); }

void AppSettings::addUploadEndpoint(const QString &url)
{
    QStringList endpoints = uploadEndpoints();
    endpoints.removeAll(url);
    endpoints.prepend(url);
    m_settings->setValue(kEndpoints, endpoints.mid(0, kMaxEndpoints));
}

QStringList AppSettings::uploadHeaderNames() const { return m_settings->value(kHeaderNames).toStringList(); }
void AppSettings::setUploadHeaderNames(const QStringList &names) { m_settings->setValue(kHeaderNames, names); }

QList<QPair<QString, QString>> AppSettings::uploadHeaderValues() const
{
    QList<QPair<QString, QString>> values;
    const QVariantList list = m_settings->value(kHeaderValues).toList();
    for (const QVariant &item : list) {
        const QStringList pair = item.toStringList();
        if (pair.size() == 2)
            values.append({pair[0], pair[1]});
    }
    return values;
}

void AppSettings::setUploadHeaderValues(const QList<QPair<QString, QString>> &values)
{
    QVariantList list;
    for (const auto &[name, value] : values)
        list << QStringList{name, value};
    m_settings->setValue(kHeaderValues, list);
}

QString AppSettings::uploadMethod() const { return m_settings->value(kMethod, QStringLiteral("POST")).toString(); }
void AppSettings::setUploadMethod(const QString &method) { m_settings->setValue(kMethod, method); }

QString AppSettings::lastFolder() const { return m_settings->value(kLastFolder).toString(); }
void AppSettings::setLastFolder(const QString &folder) { m_settings->setValue(kLastFolder, folder); }

void AppSettings::sync()
{
    m_settings->sync();
    keepPrivate();
}

} // namespace tfjs::ui
