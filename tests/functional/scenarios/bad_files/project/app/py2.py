import os
print 'hello'
