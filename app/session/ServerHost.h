#pragma once

//! "Host a server on this computer": runs the bundled `ternd` as a child process.
//
// Threading/lifetime: lives on the app's main thread and owns its QProcess; nothing waits on the
// event loop: the real port comes from ternd's "listening" line on stdout (readyRead), stop()
// sends SIGTERM and a QTimer kills the process if it has not exited 10 s later. Only the
// destructor blocks (briefly, bounded): a child must not outlive the app, so it sends SIGTERM,
// waits a few seconds for a clean shutdown and kills as a last resort. Callers that can should
// stop() and wait for stopped() before destroying the host.

#include <QObject>
#include <QProcess>
#include <QSslCertificate>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace tern::app::session {

class ServerHost : public QObject
{
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Stopping };
    Q_ENUM(State)

    static constexpr quint16 kDefaultPort = 7070;
    static constexpr int kStopTimeoutMs = 10'000;
    static constexpr int kStartTimeoutMs = 30'000;

    explicit ServerHost(QObject *parent = nullptr);
    ~ServerHost() override;

    //! Where ternd keeps its database and media (AppSettings::hostedServerDir()).
    void setDataDir(const QString &dir) { m_dataDir = dir; }
    QString dataDir() const { return m_dataDir; }
    //! The port to listen on (default 7070; 0 = any free port, for tests).
    void setPort(quint16 port) { m_port = port; }
    quint16 port() const { return m_port; }
    //! Announce the server on the LAN (default on; tests turn it off: they must not broadcast).
    void setAnnounce(bool on) { m_announce = on; }
    bool announce() const { return m_announce; }
    //! Arguments appended to the standard ones (tests pass `--password-cost min`).
    void setExtraArguments(const QStringList &args) { m_extraArgs = args; }
    //! Overrides the binary lookup (empty = findBinary()).
    void setBinaryPath(const QString &path) { m_binaryOverride = path; }

    //! $TERND_BINARY, else `ternd` next to the app, else `../server/ternd` (build tree), else
    //! PATH; "" when none is found.
    static QString findBinary();

    //! Starts ternd; emits started() once it listens, or failed(). No-op unless Stopped.
    void start();
    //! SIGTERM; SIGKILL after kStopTimeoutMs. Emits stopped() when the process is gone.
    void stop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    //! ws://127.0.0.1:PORT/ws while Running (the local address works whatever ternd binds).
    QUrl url() const { return m_url; }
    //! The running server's certificate (from `--tls-cert` or `dataDir()/tls/cert.pem`, read off
    //! the UI thread before started() is emitted); null for a `--no-tls` server or until then.
    QSslCertificate certificate() const { return m_certificate; }
    //! The file certificate() is read from: the `--tls-cert` argument, else the data dir's.
    QString certificateFile() const;
    //! The port ternd actually listens on (0 until Running).
    quint16 listeningPort() const { return m_listeningPort; }
    qint64 processId() const;
    //! Of the last process that exited (-1 before any exit).
    int exitCode() const { return m_exitCode; }
    QProcess::ExitStatus exitStatus() const { return m_exitStatus; }
    //! The last lines ternd wrote to stderr (bounded), for error reports.
    QString errorTail() const;

    //! Parses `ternd listening on ws://HOST:PORT/ws (data: DIR)`; 0 when the line is not it.
    static quint16 parseListeningPort(const QString &line, bool *tls = nullptr,
                                      QString *host = nullptr);
    //! What colleagues type to reach the running server ("192.168.1.20:7070", "[2001:db8::5]:
    //! 7070"): none when it listens on loopback only (reachable from this computer alone).
    QStringList shareableAddresses() const { return lanAddresses(m_boundHost, m_listeningPort); }
    //! The non-loopback, non-link-local addresses of the up interfaces that a server bound to
    //! `boundHost` (0.0.0.0 / :: = all) can be reached on, as host:port.
    static QStringList lanAddresses(const QString &boundHost, quint16 port);

signals:
    void started(const QUrl &url);
    //! Could not start, or stopped without being asked to; `reason` is user-readable.
    void failed(const QString &reason);
    //! The process exited after stop().
    void stopped();
    void stateChanged(tern::app::session::ServerHost::State state);

private:
    void setState(State state);
    void onStdout();
    void onStderr();
    void onErrorOccurred(QProcess::ProcessError error);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onStartTimeout();
    void becomeRunning(bool tls, quint64 attempt);
    void fail(const QString &reason);
    QString withTail(const QString &reason) const;

    QProcess *m_process = nullptr;
    QTimer m_killTimer;
    QTimer m_startTimer;
    QString m_dataDir;
    QString m_binaryOverride;
    QStringList m_extraArgs;
    quint16 m_port = kDefaultPort;
    bool m_announce = true;

    State m_state = State::Stopped;
    QUrl m_url;
    QSslCertificate m_certificate;
    quint64 m_attempt = 0;    // +1 per start(): a certificate read for an earlier one is dropped
    bool m_listening = false; // the listening line was seen (the certificate is being read)
    quint16 m_listeningPort = 0;
    QString m_boundHost;
    QByteArray m_stdout;
    QByteArray m_stderr;
    int m_exitCode = -1;
    QProcess::ExitStatus m_exitStatus = QProcess::NormalExit;
    bool m_failureReported = false;
};

} // namespace tern::app::session
