#pragma once
// Real servers the HTTP tests start as processes on 127.0.0.1 and stop at the end:
//  - the Flask upload server (tests/http/upload_server.py, Debian's python3-flask);
//  - Debian's squid as an HTTP proxy, configured by the test in a folder of its own.
// Setup code for tests: it waits for the processes it starts (never in product code).

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkProxy>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

namespace httptest {

// A python3 that can import `module`, or "": Debian's first (its Flask and NumPy; a pyenv python
// may shadow it on PATH).
inline QString pythonWith(const QString &module)
{
    for (const QString &python :
        { QStringLiteral("/usr/bin/python3"), QStringLiteral("python3") }) {
        QProcess probe;
        probe.start(python, { QStringLiteral("-c"), QStringLiteral("import ") + module });
        if (probe.waitForFinished(20000) && probe.exitStatus() == QProcess::NormalExit
            && probe.exitCode() == 0)
            return python;
    }
    return {};
}

// Starts `program args` and waits until its output (both channels) matches `readyPattern`.
// Returns the first capture of the match ("" without one), or a null string on failure;
// `output` gets what the process printed until then.
inline QString startProcess(QProcess &process, const QString &program, const QStringList &args,
    const QString &readyPattern, QByteArray *output = nullptr)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    QByteArray out;
    if (process.waitForStarted(20000)) {
        const QRegularExpression re(readyPattern);
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 30000) {
            process.waitForReadyRead(200);
            out += process.readAll();
            const auto match = re.match(QString::fromUtf8(out));
            if (match.hasMatch()) {
                if (output)
                    *output = out;
                return match.lastCapturedIndex() >= 1 ? match.captured(1) : QStringLiteral("");
            }
            if (process.state() == QProcess::NotRunning)
                break;
        }
    }
    if (output)
        *output = out;
    return {};
}

inline void stopProcess(QProcess &process)
{
    if (process.state() != QProcess::NotRunning) {
        process.terminate();
        if (!process.waitForFinished(5000)) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
}

// DIR/model.json with one float32 tensor of `bytes` / 4 values in DIR/weights.bin (zeros, a
// sparse file): an upload that outlasts the sockets' buffers. Returns the JSON's path, or "".
inline QString writeLargeModel(const QString &dir, qint64 bytes)
{
    QDir().mkpath(dir);
    const QByteArray json
        = R"({"modelTopology":{"class_name":"Sequential","config":{"name":"large","layers":[]}},)"
          R"("format":"layers-model","weightsManifest":[{"paths":["weights.bin"],"weights":[)"
          R"({"name":"w","shape":[)"
        + QByteArray::number(bytes / 4) + R"(],"dtype":"float32"}]}]})";
    QFile model(dir + QStringLiteral("/model.json"));
    QFile weights(dir + QStringLiteral("/weights.bin"));
    if (!model.open(QIODevice::WriteOnly) || model.write(json) != json.size()
        || !weights.open(QIODevice::WriteOnly) || !weights.resize(bytes))
        return {};
    return model.fileName();
}

// tests/http/upload_server.py on 127.0.0.1 with a free port, storing under `storage`.
class UploadServer
{
    Q_DISABLE_COPY_MOVE(UploadServer)

public:
    UploadServer() = default;
    ~UploadServer() { stopProcess(m_process); }

    // "" once it listens, else what went wrong.
    QString start(const QString &storage)
    {
        m_storage = storage;
        const QString python = pythonWith(QStringLiteral("flask"));
        if (python.isEmpty())
            return QStringLiteral("no python3 with Flask: install python3-flask "
                                  "(scripts/install-deps.sh does)");
        QByteArray out;
        const QString port = startProcess(m_process, python,
            { QStringLiteral("-u"), QStringLiteral(TFJS_SOURCE_DIR "/tests/http/upload_server.py"),
                QStringLiteral("--storage"), storage },
            QStringLiteral("PORT (\\d+)"), &out);
        if (port.isEmpty())
            return QStringLiteral("the Flask upload server did not start: ")
                + QString::fromUtf8(out);
        m_port = quint16(port.toUInt());
        return {};
    }

    quint16 port() const { return m_port; }
    // http://<host>:<port><path>
    QString url(const QString &path, const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QStringLiteral("http://%1:%2%3").arg(host).arg(m_port).arg(path);
    }

    // What the server logged for each request so far: method, path and Via header.
    QList<QJsonObject> requests() const
    {
        QList<QJsonObject> out;
        QFile file(m_storage + QStringLiteral("/requests.jsonl"));
        if (!file.open(QIODevice::ReadOnly))
            return out;
        for (const QByteArray &line : file.readAll().split('\n')) {
            if (!line.isEmpty())
                out << QJsonDocument::fromJson(line).object();
        }
        return out;
    }

    // The stored upload's meta.json (method, headers, parts), empty when there is none.
    QJsonObject upload(const QString &id) const
    {
        QFile file(m_storage + QStringLiteral("/%1/meta.json").arg(id));
        return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                              : QJsonObject();
    }

private:
    QProcess m_process;
    QString m_storage;
    quint16 m_port = 0;
};

// Debian's squid as an HTTP proxy on 127.0.0.1 with a configuration of the test's own. Qt
// never sends loopback hosts to a proxy, so the tests name their servers kHost, which resolves
// to 127.0.0.1 only inside this squid (its hosts_file). As in Debian's default squid.conf,
// CONNECT is allowed to port 443 only, plus `tunnelPorts`. Stopped by the destructor.
class SquidProxy
{
    Q_DISABLE_COPY_MOVE(SquidProxy)

public:
    static constexpr const char *kHost = "upload.test";

    SquidProxy() = default;
    ~SquidProxy() { stopProcess(m_process); }

    // "" once it listens, else what went wrong.
    QString start(const QList<quint16> &tunnelPorts = {})
    {
        QString squid = QStandardPaths::findExecutable(QStringLiteral("squid"));
        if (squid.isEmpty()) // sbin is not on every user's PATH
            squid = QStandardPaths::findExecutable(QStringLiteral("squid"),
                { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin") });
        if (squid.isEmpty())
            return QStringLiteral("no squid: install it (scripts/install-deps.sh does)");
        if (!m_dir.isValid())
            return QStringLiteral("no temporary folder for squid");
        // Run as root, squid drops to its own user, which must read the folder.
        QFile::setPermissions(m_dir.path(),
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                | QFileDevice::ExeOther);
        QTcpServer probe; // a free port (squid cannot report one it picked)
        if (!probe.listen(QHostAddress::LocalHost))
            return QStringLiteral("no free port for squid");
        m_port = probe.serverPort();
        probe.close();
        QString ports = QStringLiteral("443");
        for (quint16 port : tunnelPorts)
            ports += QLatin1Char(' ') + QString::number(port);
        const QString hosts = m_dir.filePath(QStringLiteral("hosts"));
        const QString config
            = QStringLiteral("http_port 127.0.0.1:%1\n"
                             "visible_hostname tfjs-test-proxy\n"
                             "hosts_file %2\n"
                             "pid_filename none\n"
                             "cache deny all\n"
                             "access_log none\n"
                             "cache_log /dev/null\n" // -d 1: its messages on stderr
                             "coredump_dir %3\n"
                             "pinger_enable off\n"
                             "shutdown_lifetime 0 seconds\n"
                             // Squid 5.7 drops a client, as if it had closed, when a request
                             // body fills this buffer under a server that reads slowly.
                             "client_request_buffer_max_size 64 MB\n"
                             "acl SSL_ports port %4\n"
                             "acl CONNECT method CONNECT\n"
                             "acl loopback src 127.0.0.1\n"
                             "http_access deny CONNECT !SSL_ports\n"
                             "http_access allow loopback\n"
                             "http_access deny all\n")
                  .arg(m_port)
                  .arg(hosts, m_dir.path(), ports);
        if (!writeText(hosts, QStringLiteral("127.0.0.1 %1\n").arg(QLatin1String(kHost)))
            || !writeText(m_dir.filePath(QStringLiteral("squid.conf")), config))
            return QStringLiteral("cannot write squid's configuration");
        QByteArray out;
        // -N: in the foreground; -n: a service name of its own (its shared memory and locks).
        const QString ready = startProcess(m_process, squid,
            { QStringLiteral("-N"), QStringLiteral("-d"), QStringLiteral("1"), QStringLiteral("-n"),
                QStringLiteral("tfjstest%1").arg(m_port), QStringLiteral("-f"),
                m_dir.filePath(QStringLiteral("squid.conf")) },
            QStringLiteral("Accepting HTTP Socket connections at \\S+ local=127\\.0\\.0\\.1:%1")
                .arg(m_port),
            &out);
        m_log = out;
        if (ready.isNull())
            return QStringLiteral("squid did not start: ") + QString::fromUtf8(out);
        // It says so before it listens: wait until a connection is taken.
        for (int attempt = 0; attempt < 100; ++attempt) {
            QTcpSocket client;
            client.setProxy(QNetworkProxy::NoProxy);
            client.connectToHost(QHostAddress::LocalHost, m_port);
            if (client.waitForConnected(1000))
                return {};
            QThread::msleep(50);
        }
        return QStringLiteral("squid does not accept connections: ") + log();
    }

    quint16 port() const { return m_port; }
    QNetworkProxy proxy() const
    {
        return QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), m_port);
    }
    // For http_proxy.
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    // What squid printed since it started (for failure messages).
    QString log()
    {
        m_log += m_process.readAll();
        return QString::fromUtf8(m_log);
    }

private:
    // Readable by squid's own user whatever the umask.
    static bool writeText(const QString &path, const QString &text)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0
            && file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                | QFileDevice::ReadGroup | QFileDevice::ReadOther);
    }

    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_log;
};

// Sets the application proxy for as long as it lives, then goes back to the system's
// (http_proxy), Qt's default on Linux.
class ApplicationProxy
{
    Q_DISABLE_COPY_MOVE(ApplicationProxy)

public:
    explicit ApplicationProxy(const QNetworkProxy &proxy)
    {
        QNetworkProxy::setApplicationProxy(proxy);
    }
    ~ApplicationProxy() { QNetworkProxyFactory::setUseSystemConfiguration(true); }
};

} // namespace httptest
