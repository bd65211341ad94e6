#pragma once

//! Two app instances, Alice's and Bob's, against one child ternd: the set-up of UI tests that
//! drive both sides of a chat (header-only; a test class inherits it for its members).

#include "tests/app/AppInstance.h"
#include "tests/support/ChildServer.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace tern::test {

class AppPair
{
protected:
    //! A new data dir and server for one test function; restarts keep its port, as a real
    //! server's would.
    void startServer()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<ChildServer>();
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        m_server->setExtraArgs({QStringLiteral("--port"), QString::number(m_server->port())});
        ++m_round;
    }
    void closeAll()
    {
        m_a.close();
        m_b.close();
        m_server.reset();
        m_dir.reset();
    }
    //! Launches both apps and signs them up through their connect screens as alice<round> and
    //! bob<round> (new accounts).
    void signInPair()
    {
        QVERIFY2(m_a.launch(m_dir->filePath(QStringLiteral("profile-a"))), m_a.error());
        QVERIFY2(m_b.launch(m_dir->filePath(QStringLiteral("profile-b"))), m_b.error());
        QVERIFY2(m_a.signUp(m_server->url(), QStringLiteral("alice%1").arg(m_round),
                            QStringLiteral("Alice")),
                 m_a.error());
        QVERIFY2(m_b.signUp(m_server->url(), QStringLiteral("bob%1").arg(m_round),
                            QStringLiteral("Bob")),
                 m_b.error());
        m_bobId = m_b.client()->connection()->userId();
    }

    std::unique_ptr<ChildServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    AppInstance m_a;
    AppInstance m_b;
    QString m_bobId;
    int m_round = 0;
};

} // namespace tern::test
