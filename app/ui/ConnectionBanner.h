#pragma once

//! The strip under the chat header while not connected: "Connecting…", "Offline — …", retry;
//! "This server's identity has changed" while its certificate is refused.

#include "app/client/ChatClient.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace tern::app::ui {

class ConnectionBanner : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionBanner(QWidget *parent = nullptr);
    //! Follows this client's state; null hides the banner.
    void setClient(client::ChatClient *client);
    //! The text shown now (tests and the accessible description read it).
    QString text() const;

private:
    void refresh();

    QPointer<client::ChatClient> m_client;
    //! The client refused the server's certificate (until it is online again).
    std::optional<client::CertificateProblem::Kind> m_refused;
    QLabel *m_label;
    QPushButton *m_retry;
    QTimer m_tick;
};

} // namespace tern::app::ui
