#pragma once

#include "browserentry.h"

#include <QByteArray>
#include <QStringList>

#include <vector>

class QSettings;

namespace tfjs::ui {

// The app's persistent settings (QSettings, the application's default location): window
// geometry, added folders, recent URLs, the store location and the upload dialog's memory.
// Secret header values are only stored when the user ticks "remember".
class AppSettings
{
public:
    AppSettings();
    ~AppSettings();
    AppSettings(const AppSettings &) = delete;
    AppSettings &operator=(const AppSettings &) = delete;

    QByteArray geometry() const;
    void setGeometry(const QByteArray &geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray &state);

    QStringList folders() const;
    void setFolders(const QStringList &folders);

    static constexpr int kMaxRecent = 20;
    std::vector<BrowserEntry> recent() const;
    void setRecent(const std::vector<BrowserEntry> &recent);

    // Empty: the platform default.
    QString storeDir() const;
    void setStoreDir(const QString &dir);
    // The team store's connection URI (never a password: the app asks for that each session).
    QString teamUri() const;
    void setTeamUri(const QString &uri);
    QString downloadsDir() const;
    void setDownloadsDir(const QString &dir);
    // The home folder below which browser profiles are looked for; empty: $HOME (tests set
    // their own so they never read the real browsers).
    QString browsersHomeDir() const;
    // Saves synced to disk before they finish (Durability::Strict).
    bool durableSaves() const;
    void setDurableSaves(bool on);
    // The port "Serve Store over HTTP" listens on: fixed by default, so pages keep their
    // URLs across restarts; 0 picks a free one each time.
    static constexpr quint16 kDefaultServePort = 8765;
    quint16 servePort() const;
    void setServePort(quint16 port);

    static constexpr int kMaxEndpoints = 10;
    QStringList uploadEndpoints() const;
    void addUploadEndpoint(const QString &url);
    QStringList uploadHeaderNames() const;
    void setUploadHeaderNames(const QStringList &names);
    // Header values the user asked to remember (non-secret values are always remembered).
    QList<QPair<QString, QString>> uploadHeaderValues() const;
    void setUploadHeaderValues(const QList<QPair<QString, QString>> &values);
    QString uploadMethod() const;
    void setUploadMethod(const QString &method);

    QString lastFolder() const;
    void setLastFolder(const QString &folder);

    void sync();

private:
    // The settings can hold remembered upload secrets and say which models and folders the user
    // opens: the file is the user's alone (0600), made so before anything is written to it.
    void keepPrivate() const;

    QSettings *m_settings;
};

} // namespace tfjs::ui
