#pragma once

// The real `ternd` binary (path from the TERND_BINARY environment variable, set by CTest) run as
// a child process on 127.0.0.1, port 0, a temporary data dir and `--password-cost min`. The port
// comes from the one line ternd prints once it accepts connections:
//   ternd listening on ws://127.0.0.1:PORT/ws
// It passes --no-tls (the protocol tests speak plain ws://) unless setTls(Tls::Auto) asks for
// ternd's real default (its own certificate in DATA_DIR/tls) or the extra args name --tls-cert.
// stderr goes to a log file under $TERN_TEST_OUTDIR (or the temporary dir).
//
// Threading/lifetime: lives on the test thread; waits spin the event loop. The destructor
// SIGKILLs a child that is still running. The data dir lives as long as the object.

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace tern::test {

class ChildServer : public QObject
{
    Q_OBJECT
public:
    explicit ChildServer(QObject *parent = nullptr);
    ~ChildServer() override;

    static QString binaryPath();

    enum class Tls {
        Off, // --no-tls (default)
        Auto // ternd's default: wss:// with the certificate it makes in DATA_DIR/tls
    };
    void setTls(Tls tls) { m_tls = tls; }
    //! DATA_DIR/tls/cert.pem: where ternd keeps the certificate it made (Tls::Auto).
    QString certificatePath() const;

    //! Arguments added after the standard ones on every (re)start.
    void setExtraArgs(const QStringList &args) { m_extraArgs = args; }
    //! Starts ternd and waits for its "listening" line; false (see errorString()) on failure.
    bool start(int timeoutMs = 30'000);
    //! Starts again on the same data dir (the previous process must have exited).
    bool restart(int timeoutMs = 30'000);
    //! SIGKILL and wait for the process to be gone.
    void kill();
    //! Sends SIGTERM (no waiting).
    void sendTerminate();
    //! SIGTERM, then wait up to timeoutMs; true when the process exited in time.
    bool terminate(int timeoutMs = 10'000);
    bool waitForExit(int timeoutMs);

    bool isRunning() const;
    qint64 pid() const { return m_pid; }
    quint16 port() const { return m_port; }
    //! ws:// or wss:// (as ternd's listening line said)://127.0.0.1:PORT/ws
    QUrl url() const;
    bool secure() const { return m_secure; }
    QString dataDir() const { return m_dataDir; }
    QString errorString() const { return m_error; }
    QString logPath() const { return m_logPath; }
    //! The last part of the current log (for failure messages).
    QString logTail(int maxBytes = 4000) const;
    //! VmRSS of the running child in KiB, -1 when unknown.
    qint64 rssKiB() const;
    int exitCode() const { return m_exitCode; }
    QProcess::ExitStatus exitStatus() const { return m_exitStatus; }

private:
    void onStdout();

    QTemporaryDir m_dir;
    QString m_dataDir;
    QStringList m_extraArgs;
    QProcess *m_process = nullptr;
    QByteArray m_stdout;
    QString m_logPath;
    QString m_error;
    qint64 m_pid = 0;
    quint16 m_port = 0;
    bool m_secure = false;
    Tls m_tls = Tls::Off;
    int m_starts = 0;
    bool m_finished = true;
    int m_exitCode = -1;
    QProcess::ExitStatus m_exitStatus = QProcess::NormalExit;
};

} // namespace tern::test
