// Projects (申报主体).
#include <gtest/gtest.h>
