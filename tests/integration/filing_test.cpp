// The organization filing (组织备案) and its review.
#include <gtest/gtest.h>
