// Organizations and members: 注册查询, personal accounts, join requests, 权限转让, 注销账号.
#include <gtest/gtest.h>
