#include "app/ui/ConnectionBanner.h"

#include "app/ui/Theme.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace tern::app::ui {

using client::ChatClient;
using client::ChatConnection;

ConnectionBanner::ConnectionBanner(QWidget *parent)
    : QWidget(parent), m_label(new QLabel(this)), m_retry(new QPushButton(tr("Retry now"), this))
{
    setObjectName(QStringLiteral("connectionBanner"));
    setAutoFillBackground(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setWordWrap(true);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->setAccessibleName(tr("Retry connecting now"));
    auto *layout = new QHBoxLayout(this);
    const int margin = fontMetrics().height() / 3;
    layout->setContentsMargins(margin * 2, margin, margin * 2, margin);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_retry);
    connect(m_retry, &QPushButton::clicked, this, [this] {
        if (m_client)
            m_client->connection()->retryNow();
    });
    // The countdown to the next attempt is shown in whole seconds.
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ConnectionBanner::refresh);
    hide();
}

void ConnectionBanner::setClient(ChatClient *client)
{
    if (m_client)
        disconnect(m_client, nullptr, this, nullptr);
    m_client = client;
    m_refused.reset();
    if (client) {
        connect(client->connection(), &ChatConnection::stateChanged, this,
                &ConnectionBanner::refresh);
        connect(client->connection(), &ChatConnection::certificateRefused, this,
                [this](const client::CertificateProblem &problem) {
                    m_refused = problem.kind;
                    refresh();
                });
        if (const auto problem = client->connection()->certificateProblem())
            m_refused = problem->kind;
    }
    refresh();
}

QString ConnectionBanner::text() const
{
    return isVisible() || !m_label->text().isEmpty() ? m_label->text() : QString();
}

void ConnectionBanner::refresh()
{
    if (!m_client || m_client->connection()->state() == ChatConnection::State::Online ||
        m_client->connection()->state() == ChatConnection::State::Syncing) {
        m_refused.reset();
        m_tick.stop();
        m_label->clear();
        hide();
        return;
    }
    QPalette pal = palette();
    const bool offline = m_client->connection()->state() == ChatConnection::State::Offline;
    pal.setColor(QPalette::Window, Theme::mix(offline ? Theme::errorColor(pal) : Theme::accent(pal),
                                              pal.color(QPalette::Base), 0.15));
    setPalette(pal);
    if (m_refused) {
        // Retrying alone cannot help: the user decides (the dialog, or Settings → Connection).
        m_label->setText(
            *m_refused == client::CertificateProblem::Kind::Changed
                ? tr("This server's identity has changed: not connected. Ask your server's "
                     "admin, then see Settings → Connection.")
                : tr("This server's certificate is not trusted yet: not connected."));
        // Retry asks again whether to trust it; a changed identity is not asked twice.
        m_retry->setVisible(*m_refused == client::CertificateProblem::Kind::Untrusted);
        m_tick.stop();
    } else if (offline) {
        QString text = tr("Offline — messages will be sent when you reconnect");
        const int retryMs = m_client->connection()->nextRetryMs();
        if (retryMs > 0)
            text += QLatin1Char(' ') + tr("(next try in %n s)", nullptr, (retryMs + 999) / 1000);
        m_label->setText(text);
        m_retry->show();
        m_tick.start();
    } else {
        m_label->setText(tr("Connecting…"));
        m_retry->hide();
        m_tick.stop();
    }
    // Named by what it says, so the banner is heard when focus moves into it (Retry).
    setAccessibleName(m_label->text());
    setAccessibleDescription(m_label->text());
    show();
}

} // namespace tern::app::ui
