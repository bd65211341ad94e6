#pragma once

//! A round avatar: initials on a colour derived from the id, with an optional presence dot.

#include <QWidget>

namespace tern::app::ui {

class AvatarWidget : public QWidget
{
    Q_OBJECT
public:
    explicit AvatarWidget(QWidget *parent = nullptr);
    void setAvatar(const QString &initials, int hue);
    //! -1 hides the dot (groups); 0 offline (no dot); 1 online.
    void setOnline(int online);
    int online() const { return m_online; }
    QSize sizeHint() const override;
    //! Paints an avatar into `rect` (shared with the list delegate's look); a valid `ring`
    //! outlines the circle (on a selected row, whose accent is as dark as avatars are).
    static void paint(QPainter *painter, const QRectF &rect, const QString &initials, int hue,
                      bool online, const QPalette &palette, const QColor &ring = QColor());

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_initials;
    int m_hue = 0;
    int m_online = -1;
};

} // namespace tern::app::ui
