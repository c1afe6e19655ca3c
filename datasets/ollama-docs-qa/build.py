#!/usr/bin/env python3
"""Builds this BEIR-layout dataset from ../corpora/ollama-docs and the questions below.

corpus.jsonl: one document per .md/.mdx file (_id = path relative to the corpus, title = front
matter title, else first heading, else file name; text = the file without its front matter).
queries.jsonl: each question with the file, section and a verbatim answer snippet located there
(checked: the snippet must occur in that section). qrels/test.tsv: grade 2 for the file holding
the answer, 1 for other files that also answer it. Run: python3 build.py
"""
import json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpora", "ollama-docs")

# (id, question, file, section heading, answer snippet found in that section, [other relevant files])
Q = [
    ("q01", "how do I upgrade ollama on linux", "faq.mdx", "How can I upgrade Ollama?", "re-run the install script", ["linux.mdx"]),
    ("q02", "What is the default context window size Ollama uses?", "faq.mdx", "How can I specify the context window size?", "context window size of 4096 tokens", ["context-length.mdx"]),
    ("q03", "Which environment variable changes the default context length?", "faq.mdx", "How can I specify the context window size?", "OLLAMA_CONTEXT_LENGTH", ["context-length.mdx"]),
    ("q04", "how can I see whether a model is running on GPU or CPU", "faq.mdx", "How can I tell if my model was loaded onto the GPU?", "The `Processor` column will show which memory", ["context-length.mdx"]),
    ("q05", "set environment variables for the Ollama app on a Mac", "faq.mdx", "Setting environment variables on Mac", "launchctl setenv", []),
    ("q06", "configure OLLAMA_HOST when Ollama runs as a systemd service", "faq.mdx", "Setting environment variables on Linux", "systemctl edit ollama.service", ["linux.mdx"]),
    ("q07", "Which proxy variable should I set so Ollama can pull models through a corporate proxy?", "faq.mdx", "How do I use Ollama behind a proxy?", "HTTPS_PROXY", []),
    ("q08", "why should I avoid setting HTTP_PROXY", "faq.mdx", "How do I use Ollama behind a proxy?", "Setting `HTTP_PROXY` may interrupt client connections", []),
    ("q09", "Does Ollama see my prompts when I run models locally?", "faq.mdx", "Does Ollama send my prompts and answers back to ollama.com?", "We don't see your prompts or data when you run locally", []),
    ("q10", "turn off cloud features and run in local only mode", "faq.mdx", "How do I disable Ollama Cloud features?", "disable_ollama_cloud", []),
    ("q11", "What address and port does Ollama bind to by default?", "faq.mdx", "How can I expose Ollama on my network?", "Ollama binds 127.0.0.1 port 11434 by default", []),
    ("q12", "nginx reverse proxy configuration for ollama", "faq.mdx", "How can I use Ollama with a proxy server?", "proxy_pass http://localhost:11434", []),
    ("q13", "expose ollama through an ngrok tunnel", "faq.mdx", "How can I use Ollama with ngrok?", "ngrok http 11434", []),
    ("q14", "cloudflared tunnel host header flag", "faq.mdx", "How can I use Ollama with Cloudflare Tunnel?", "--http-host-header", []),
    ("q15", "allow a browser extension to call the local Ollama server (CORS origins)", "faq.mdx", "How can I allow additional web origins to access Ollama?", "OLLAMA_ORIGINS", []),
    ("q16", "Where are downloaded models stored on Linux?", "faq.mdx", "Where are models stored?", "/usr/share/ollama/.ollama/models", []),
    ("q17", "move the models directory to another disk", "faq.mdx", "How do I set them to a different location?", "set the environment variable `OLLAMA_MODELS`", ["windows.mdx"]),
    ("q18", "Can I get GPU acceleration with Docker Desktop on macOS?", "faq.mdx", "How do I use Ollama with GPU acceleration in Docker?", "GPU acceleration is not available for Docker Desktop in macOS", ["docker.mdx"]),
    ("q19", "slow downloads in WSL2 on Windows 10, large send offload", "faq.mdx", "Why is networking slow in WSL2 on Windows 10?", "Large Send Offload Version 2", []),
    ("q20", "preload a model so the first response is faster", "faq.mdx", "How can I preload a model into Ollama to get faster response times?", "sending the Ollama server an empty request", ["api.md"]),
    ("q21", "How long does a model stay in memory after a request, and how do I keep it loaded forever?", "faq.mdx", "How do I keep a model loaded in memory or make it unload immediately?", "kept in memory for 5 minutes", ["api.md"]),
    ("q22", "server returns 503 overloaded, how to change the request queue size", "faq.mdx", "How do I manage the maximum number of requests the Ollama server can queue?", "OLLAMA_MAX_QUEUE", []),
    ("q23", "What does OLLAMA_NUM_PARALLEL control?", "faq.mdx", "How does Ollama handle concurrent requests?", "The maximum number of parallel requests each model will process at the same time", []),
    ("q24", "how many models can be loaded at the same time by default", "faq.mdx", "How does Ollama handle concurrent requests?", "OLLAMA_MAX_LOADED_MODELS", []),
    ("q25", "quantize the K/V cache to save memory", "faq.mdx", "How can I set the quantization type for the K/V cache?", "OLLAMA_KV_CACHE_TYPE", []),
    ("q26", "where is the id_ed25519.pub public key file", "faq.mdx", "Where the Ollama Public Key lives", "id_ed25519.pub", []),
    ("q27", "stop Ollama from launching automatically at login", "faq.mdx", "How can I stop Ollama from starting when I login to my computer?", "Startup apps", []),
    ("q28", "Which NVIDIA driver version and compute capability does Ollama need?", "gpu.mdx", "Nvidia", "compute capability 5.0+ and driver version 550", []),
    ("q29", "limit Ollama to some of my NVIDIA GPUs", "gpu.mdx", "GPU Selection", "CUDA_VISIBLE_DEVICES", []),
    ("q30", "after suspend and resume ollama falls back to CPU on linux", "gpu.mdx", "Linux Suspend Resume", "sudo rmmod nvidia_uvm", ["troubleshooting.mdx"]),
    ("q31", "force an unsupported Radeon GPU such as the RX 5400 to work with ROCm", "gpu.mdx", "Overrides on Linux", "HSA_OVERRIDE_GFX_VERSION", []),
    ("q32", "Which ROCm driver version is required on Linux for AMD GPUs?", "gpu.mdx", "Linux Support", "Ollama requires the AMD ROCm v7 driver on Linux", ["linux.mdx", "troubleshooting.mdx"]),
    ("q33", "create a systemd service file for ollama", "linux.mdx", "Adding Ollama as a startup service (recommended)", "/etc/systemd/system/ollama.service", []),
    ("q34", "install a specific or pre-release version of ollama with the install script", "linux.mdx", "Installing specific versions", "OLLAMA_VERSION=0.5.7", ["troubleshooting.mdx"]),
    ("q35", "view ollama service logs with journalctl", "linux.mdx", "Viewing logs", "journalctl -e -u ollama", ["troubleshooting.mdx"]),
    ("q36", "How do I completely uninstall Ollama from a Linux machine?", "linux.mdx", "Uninstall", "sudo systemctl disable ollama", []),
    ("q37", "Where are the server logs on a Mac?", "troubleshooting.mdx", "Troubleshooting", "~/.ollama/logs/server.log", ["macos.mdx"]),
    ("q38", "force the CPU library with AVX2 instead of CUDA", "troubleshooting.mdx", "LLM libraries", "OLLAMA_LLM_LIBRARY", []),
    ("q39", "my /tmp is mounted noexec, where else can Ollama put its temporary files", "troubleshooting.mdx", "Linux tmp noexec", "OLLAMA_TMPDIR", []),
    ("q40", "AMD GPU not detected on Linux: discovery times out after 30 seconds", "troubleshooting.mdx", "AMD Driver Version Mismatch", "failed to finish discovery before timeout", []),
    ("q41", "Which groups does the user need to access /dev/kfd for an AMD GPU?", "troubleshooting.mdx", "AMD GPU Discovery", "`video` and/or `render` group membership", []),
    ("q42", "import a fine tuned Safetensors adapter", "import.mdx", "Importing a fine tuned adapter from Safetensors weights", "ADAPTER /path/to/safetensors/adapter/directory", ["modelfile.mdx"]),
    ("q43", "How do I import a GGUF file as a model?", "import.mdx", "Importing a GGUF based model or adapter", "FROM /path/to/file.gguf", ["modelfile.mdx"]),
    ("q44", "quantize an FP16 model to q4_K_M when creating it", "import.mdx", "Quantizing a Model", "ollama create --quantize q4_K_M", ["api.md"]),
    ("q45", "What does the temperature parameter do and what is its default in a Modelfile?", "modelfile.mdx", "Valid Parameters and Values", "The temperature of the model", []),
    ("q46", "set a seed for reproducible generations in a Modelfile", "modelfile.mdx", "Valid Parameters and Values", "Sets the random number seed to use for generation", ["api.md"]),
    ("q47", "show the Modelfile of an existing model", "modelfile.mdx", "Basic `Modelfile`", "ollama show --modelfile", []),
    ("q48", "add example message history (user and assistant turns) to a Modelfile", "modelfile.mdx", "MESSAGE", "MESSAGE", []),
    ("q49", "run the ollama docker container with nvidia GPUs", "docker.mdx", "Start the container", "docker run -d --gpus=all", []),
    ("q50", "Which Docker image tag should I use for AMD GPUs?", "docker.mdx", "AMD GPU", "ollama/ollama:rocm", []),
    ("q51", "disable Vulkan in the container", "docker.mdx", "Vulkan Support", "OLLAMA_VULKAN=0", []),
    ("q52", "What context length does Ollama pick for a GPU with 24 to 48 GiB of VRAM?", "context-length.mdx", "Context length", "24-48 GiB VRAM: 32k context", []),
    ("q53", "install Ollama on Windows somewhere other than my home directory", "windows.mdx", "Changing Install Location", 'OllamaSetup.exe /DIR=', []),
    ("q54", "What Windows version is required to run Ollama?", "windows.mdx", "System Requirements", "Windows 10 22H2 or newer", []),
    ("q55", "minimum macOS version for Ollama", "macos.mdx", "System Requirements", "MacOS Sonoma (v14) or newer", []),
    ("q56", "What units are durations reported in by the API?", "api.md", "Durations", "All durations are returned in nanoseconds", ["api/usage.mdx"]),
    ("q57", "what does prompt_eval_count mean in the response", "api/usage.mdx", "Usage", "How many input tokens were processed", ["api.md"]),
    ("q58", "Which HTTP status code means a rate limit was exceeded?", "api/errors.mdx", "Status codes", "`429`: Too Many Requests", []),
    ("q59", "use the OpenAI Python client with a local Ollama server", "api/openai-compatibility.mdx", "Simple `/v1/chat/completions` example", "base_url='http://localhost:11434/v1/'", []),
    ("q60", "point Claude Code at Ollama with ANTHROPIC_BASE_URL", "api/anthropic-compatibility.mdx", "Environment variables", "ANTHROPIC_BASE_URL=http://localhost:11434", ["integrations/claude-code.mdx"]),
    ("q61", "Do I need an API key to call the local API?", "api/authentication.mdx", "Authentication", "No authentication is required when accessing Ollama's API locally", []),
    ("q62", "How many results can the web search API return at most?", "capabilities/web-search.mdx", "Request", "maximum results to return (default 5, max 10)", []),
    ("q63", "Which think levels does GPT-OSS accept?", "capabilities/thinking.mdx", "Enable thinking in API calls", "GPT-OSS instead expects one of `low`, `medium`, or `high`", []),
    ("q64", "recommended embedding models", "capabilities/embeddings.mdx", "Recommended models", "embeddinggemma", []),
    ("q65", "send an image to a vision model through the REST API", "capabilities/vision.mdx", "Usage with Ollama's API", "REST API expects base64-encoded image data", ["api.md"]),
    ("q66", "Which VS Code version do I need for the Ollama extension?", "integrations/vscode.mdx", "Requirements", "Visual Studio Code 1.127 or newer", []),
    ("q67", "JetBrains IDE with Ollama requires which subscription?", "integrations/jetbrains.mdx", "Usage with Ollama", "JetBrains AI Subscription", []),
]


def front_matter(text):
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip().strip("\"'")
    return meta, text[m.end():]


def documents():
    out = []
    for root, _, files in os.walk(CORPUS):
        for f in files:
            if not f.endswith((".md", ".mdx")):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, CORPUS).replace(os.sep, "/")
            with open(path, encoding="utf-8") as fh:
                meta, body = front_matter(fh.read())
            title = meta.get("title")
            if not title:
                h = re.search(r"^#{1,6}\s+(.+)$", body, re.M)
                title = h.group(1).strip() if h else f
            out.append({"_id": rel, "title": title, "text": body})
    return sorted(out, key=lambda d: d["_id"])


def section_text(body, heading):
    """The text under `heading` up to the next heading of the same or a higher level ("" when the
    heading is the document title: the text before the first heading)."""
    lines = body.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(#{1,6})\s+(.+?)\s*$", line)
        if m and m.group(2) == heading:
            level = len(m.group(1))
            j = i + 1
            fence = False
            while j < len(lines):
                if lines[j].lstrip().startswith("```"):
                    fence = not fence
                h = re.match(r"^(#{1,6})\s", lines[j])
                if h and not fence and len(h.group(1)) <= level:
                    break
                j += 1
            return "\n".join(lines[i:j])
    return None


def main():
    docs = documents()
    by_id = {d["_id"]: d for d in docs}
    bad = []
    for qid, text, f, section, answer, others in Q:
        d = by_id.get(f)
        if d is None:
            bad.append(f"{qid}: no file {f}")
            continue
        s = section_text(d["text"], section)
        if s is None:  # the document-level section: its title
            s = d["text"] if section == d["title"] else None
        if s is None:
            bad.append(f"{qid}: no section '{section}' in {f}")
        elif answer not in s:
            bad.append(f"{qid}: answer '{answer}' not in section '{section}' of {f}")
        for o in others:
            if o not in by_id:
                bad.append(f"{qid}: no file {o}")
    if bad:
        sys.exit("\n".join(bad))
    with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as out:
        for d in docs:
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "queries.jsonl"), "w", encoding="utf-8") as out:
        for qid, text, f, section, answer, others in Q:
            out.write(json.dumps({"_id": qid, "text": text, "file": f, "section": section, "answer": answer},
                                 ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "qrels", "test.tsv"), "w", encoding="utf-8") as out:
        out.write("query-id\tcorpus-id\tscore\n")
        for qid, text, f, section, answer, others in Q:
            out.write(f"{qid}\t{f}\t2\n")
            for o in others:
                out.write(f"{qid}\t{o}\t1\n")
    print(f"{len(docs)} documents, {len(Q)} questions")


main()
