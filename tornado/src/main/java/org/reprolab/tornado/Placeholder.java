package org.reprolab.tornado; final class Placeholder {}
