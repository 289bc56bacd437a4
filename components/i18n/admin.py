"""Strings of the admin page (管理) and the audit log's action names, merged by components.i18n."""

STRINGS: dict[str, tuple[str, str]] = {
    # Admin
    "admin.users": ("Users", "用户"),
    "admin.audit_log": ("Audit log", "审计日志"),
    "admin.users_help": (
        "Change users with: `python -m data_access.users add | passwd | set-role | set-stores | remove`",
        "用命令管理用户：`python -m data_access.users add | passwd | set-role | set-stores | remove`",
    ),
    "admin.filter_user": ("Only events of user", "仅显示该用户的事件"),
    "admin.shop_country": ("Shop country", "店铺所在国家"),
    "admin.shop_country_label": ("Country (its public holidays go into every forecast)",
                                 "国家（其法定节假日用于所有预测）"),
    "admin.shop_country_help": (
        "The forecast batch and the inventory page's forecast on request learn this country's public holidays; "
        "China also adds 618, Double 11, Double 12 and the Spring Festival. Takes effect from the next forecast run.",
        "批量预测和库存页的即时预测会学习该国家的法定节假日；选择中国时还包括 618、双 11、双 12 和春节。"
        "从下一次预测运行起生效。"),
    "admin.save": ("Save", "保存"),
    "admin.shop_country_saved": ("Shop country set to {country}. The next forecast run uses its holidays.",
                                 "店铺国家已设为 {country}。下一次预测运行将使用其节假日。"),
    "admin.add_user": ("Add user", "添加用户"),
    "admin.remove_user": ("Remove user", "删除用户"),
    "admin.reset_password": ("Reset password", "重置密码"),
    "admin.role": ("Role", "角色"),
    "admin.stores": ("Stores", "店铺"),
    "admin.name": ("Name", "姓名"),
    "admin.email": ("Email", "邮箱"),
    "admin.user_added": ("User {username} added.", "已添加用户 {username}。"),
    "admin.user_removed": ("User {username} removed.", "已删除用户 {username}。"),
    "admin.user_updated": ("User {username} updated.", "已更新用户 {username}。"),
    "admin.cannot_remove_self": ("You cannot remove your own account.", "不能删除自己的账号。"),
    # Audit actions
    "audit.login": ("Logged in", "登录"),
    "audit.login_failed": ("Failed login", "登录失败"),
    "audit.logout": ("Logged out", "退出登录"),
    "audit.access_denied": ("Access denied", "拒绝访问"),
    "audit.upload": ("Uploaded a file", "上传文件"),
    "audit.import": ("Imported data", "导入数据"),
    "audit.user_changed": ("Changed a user", "修改用户"),
    "audit.setting_changed": ("Changed a shop setting", "修改店铺设置"),
    "audit.login_cookie": ("Logged in by cookie", "通过 Cookie 登录"),
    "audit.cookie_rejected": ("Cookie refused", "Cookie 被拒绝"),
    "audit.session_ended": ("Session ended", "会话结束"),
    "audit.mapping_saved": ("Saved a column mapping", "保存列映射"),
}
