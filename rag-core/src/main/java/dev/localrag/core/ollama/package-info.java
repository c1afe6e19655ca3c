/** Internal: public only for LocalRAG's own modules; may change in any release. */
@Internal
package dev.localrag.core.ollama;

import dev.localrag.core.Internal;
