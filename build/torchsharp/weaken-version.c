/* Marks one symbol-version requirement of an ELF64 shared library as weak (VER_FLG_WEAK), so that the
 * dynamic loader only warns when the version is missing instead of refusing to load the library.
 * Usage: weaken-version LIBRARY VERSION   (e.g. GLIBCXX_3.4.32). Exit 0 when the flag is set (or was
 * already), 1 when the library does not require that version, 2 on a malformed file or bad usage.
 * Walks the section headers to SHT_GNU_verneed, then its Elf64_Verneed/Elf64_Vernaux records, reading
 * names from the string table the section links to. Written for ComposerBot's TorchSharp build step. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what) { fprintf(stderr, "weaken-version: %s\n", what); return 2; }

int main(int argc, char **argv) {
  if (argc != 3) return fail("usage: weaken-version LIBRARY VERSION");
  FILE *f = fopen(argv[1], "r+b");
  if (!f) return fail("cannot open the library");
  if (fseek(f, 0, SEEK_END) != 0) return fail("cannot seek");
  long size = ftell(f);
  if (size < (long)sizeof(Elf64_Ehdr)) return fail("not an ELF file");
  unsigned char *image = malloc((size_t)size);
  if (!image || fseek(f, 0, SEEK_SET) != 0 || fread(image, 1, (size_t)size, f) != (size_t)size) return fail("cannot read");
  Elf64_Ehdr *eh = (Elf64_Ehdr *)image;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) return fail("not an ELF64 file");
  if (eh->e_shoff + (Elf64_Off)eh->e_shnum * sizeof(Elf64_Shdr) > (Elf64_Off)size) return fail("section headers out of range");
  Elf64_Shdr *sections = (Elf64_Shdr *)(image + eh->e_shoff);
  for (int s = 0; s < eh->e_shnum; s++) {
    if (sections[s].sh_type != SHT_GNU_verneed) continue;
    if (sections[s].sh_link >= eh->e_shnum) return fail("bad string table link");
    Elf64_Shdr *strtab = &sections[sections[s].sh_link];
    Elf64_Off at = sections[s].sh_offset;
    for (Elf64_Word n = 0; n < sections[s].sh_info; n++) {
      if (at + sizeof(Elf64_Verneed) > (Elf64_Off)size) return fail("verneed out of range");
      Elf64_Verneed *need = (Elf64_Verneed *)(image + at);
      Elf64_Off aux_at = at + need->vn_aux;
      for (Elf64_Half a = 0; a < need->vn_cnt; a++) {
        if (aux_at + sizeof(Elf64_Vernaux) > (Elf64_Off)size) return fail("vernaux out of range");
        Elf64_Vernaux *aux = (Elf64_Vernaux *)(image + aux_at);
        if (strtab->sh_offset + aux->vna_name >= (Elf64_Off)size) return fail("name out of range");
        const char *name = (const char *)(image + strtab->sh_offset + aux->vna_name);
        if (strcmp(name, argv[2]) == 0) {
          aux->vna_flags |= VER_FLG_WEAK;
          if (fseek(f, (long)aux_at, SEEK_SET) != 0 || fwrite(aux, sizeof(*aux), 1, f) != 1 || fclose(f) != 0) return fail("cannot write");
          return 0;
        }
        if (aux->vna_next == 0) break;
        aux_at += aux->vna_next;
      }
      if (need->vn_next == 0) break;
      at += need->vn_next;
    }
  }
  fprintf(stderr, "weaken-version: %s does not require %s\n", argv[1], argv[2]);
  return 1;
}
