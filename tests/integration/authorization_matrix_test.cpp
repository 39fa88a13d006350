// Every route × every kind of caller → the expected status, walked from the router's table.
#include <gtest/gtest.h>
