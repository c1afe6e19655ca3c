/** Internal: public only for LocalRAG's own modules; may change in any release. */
@Internal
package dev.localrag.core.text;

import dev.localrag.core.Internal;
