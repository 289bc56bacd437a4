"""Strings of sessions, login limits and outages: key -> (English, 简体中文), merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    "auth.slow_down": ("Too many failed attempts for this account, try again in {seconds} seconds.",
                       "该账号登录失败次数过多，请 {seconds} 秒后再试。"),
    "auth.session_ended": ("Your session has ended (logged out, or your account was changed). Please log in again.",
                           "您的会话已结束（已退出登录或账号已变更），请重新登录。"),
    "error.db_unavailable": ("The database is not reachable right now; this page retries by itself every few "
                             "seconds.",
                             "暂时无法连接数据库，本页面每隔几秒会自动重试。"),
    "error.db_retry": ("Retry now", "立即重试"),
    "error.server_config": ("The app is not configured correctly; the administrator can find the reason in the "
                            "server log.",
                            "应用配置有误，管理员可在服务器日志中查看原因。"),
    "admin.filter_action": ("Action", "操作"),
    "admin.filter_client": ("Client address", "客户端地址"),
    "admin.filter_since": ("Since", "起始日期"),
    "admin.any_action": ("Any action", "全部操作"),
    "col.client": ("Client", "客户端"),
}
