#include "app/ui/ConnectionSecurityLabel.h"

#include "app/ui/Icons.h"
#include "app/ui/Theme.h"
#include "shared/model/CertificateFingerprint.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>

namespace tern::app::ui {

namespace {
// Amber: a warning, not an error (plain ws:// is allowed, for servers behind a TLS proxy).
const QColor kWarning(0xB2, 0x5E, 0x09);
} // namespace

ConnectionSecurityLabel::ConnectionSecurityLabel(const QString &name, QWidget *parent)
    : QWidget(parent), m_icon(new QLabel(this)), m_text(new QLabel(this))
{
    m_text->setObjectName(name);
    m_icon->setObjectName(name + QStringLiteral("Icon"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    hide();
}

QString ConnectionSecurityLabel::shortFingerprint(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    const QStringList groups =
        fingerprint::grouped(fingerprint::sha256(certificate.toDer())).split(QLatin1Char('-'));
    return groups.mid(0, 2).join(QLatin1Char('-')) + QStringLiteral("…");
}

void ConnectionSecurityLabel::setSecurity(const QUrl &server, const QSslCertificate &certificate,
                                          const QString &protocol)
{
    m_server = server;
    m_certificate = certificate;
    m_protocol = protocol;
    refresh();
}

QString ConnectionSecurityLabel::text() const
{
    return m_text->text();
}

void ConnectionSecurityLabel::refresh()
{
    if (m_server.isEmpty()) {
        hide();
        return;
    }
    m_encrypted = m_server.scheme() == QLatin1String("wss");
    QString text;
    if (!m_encrypted) {
        text = tr("Not encrypted: others on the network can read what you send");
    } else {
        text = m_protocol.isEmpty() ? tr("Encrypted")
                                    //: %1: the TLS version, e.g. "TLSv1.3".
                                    : tr("Encrypted (%1)").arg(m_protocol);
        if (!m_certificate.isNull())
            text += QStringLiteral(" · ") + shortFingerprint(m_certificate);
    }
    m_text->setText(text);
    m_text->setAccessibleName(text);
    QPalette palette = m_text->palette();
    const QColor base = palette.color(QPalette::Window);
    const QColor color = m_encrypted ? Theme::secondaryText(palette)
                                     : Theme::withContrast(kWarning, base, Theme::kTextContrast);
    palette.setColor(QPalette::WindowText, color);
    m_text->setPalette(palette);
    const int side = Icons::buttonIconSize(fontMetrics()).height();
    const qreal dpr = devicePixelRatioF();
    QPixmap icon = Icons::pixmap(m_encrypted ? Icons::Icon::Lock : Icons::Icon::LockOpen, color,
                                 QSize(side, side) * dpr);
    icon.setDevicePixelRatio(dpr);
    m_icon->setPixmap(icon);
    show();
}

void ConnectionSecurityLabel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::PaletteChange)
        refresh();
    QWidget::changeEvent(event);
}

} // namespace tern::app::ui
