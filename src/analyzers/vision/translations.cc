#include "analyzers/vision/translations.h"

#include <algorithm>
#include <map>

namespace ocular {

namespace {

struct Row {
  const char* en;
  const char* es;
  const char* ja;
  const char* pt;
  const char* zh;
};

// clang-format off
constexpr Row kRows[] = {
    // COCO labels
    {"person", "persona", "人", "pessoa", "人"},
    {"bicycle", "bicicleta", "自転車", "bicicleta", "自行车"},
    {"car", "coche", "車", "carro", "汽车"},
    {"motorcycle", "motocicleta", "オートバイ", "motocicleta", "摩托车"},
    {"airplane", "avión", "飛行機", "avião", "飞机"},
    {"bus", "autobús", "バス", "ônibus", "公共汽车"},
    {"train", "tren", "電車", "trem", "火车"},
    {"truck", "camión", "トラック", "caminhão", "卡车"},
    {"boat", "barco", "ボート", "barco", "船"},
    {"traffic light", "semáforo", "信号機", "semáforo", "红绿灯"},
    {"fire hydrant", "boca de incendios", "消火栓", "hidrante", "消防栓"},
    {"stop sign", "señal de stop", "一時停止標識", "placa de pare", "停车标志"},
    {"parking meter", "parquímetro", "パーキングメーター", "parquímetro", "停车计时器"},
    {"bench", "banco", "ベンチ", "banco", "长椅"},
    {"bird", "pájaro", "鳥", "pássaro", "鸟"},
    {"cat", "gato", "猫", "gato", "猫"},
    {"dog", "perro", "犬", "cachorro", "狗"},
    {"horse", "caballo", "馬", "cavalo", "马"},
    {"sheep", "oveja", "羊", "ovelha", "羊"},
    {"cow", "vaca", "牛", "vaca", "牛"},
    {"elephant", "elefante", "象", "elefante", "大象"},
    {"bear", "oso", "熊", "urso", "熊"},
    {"zebra", "cebra", "シマウマ", "zebra", "斑马"},
    {"giraffe", "jirafa", "キリン", "girafa", "长颈鹿"},
    {"backpack", "mochila", "リュックサック", "mochila", "背包"},
    {"umbrella", "paraguas", "傘", "guarda-chuva", "雨伞"},
    {"handbag", "bolso", "ハンドバッグ", "bolsa", "手提包"},
    {"tie", "corbata", "ネクタイ", "gravata", "领带"},
    {"suitcase", "maleta", "スーツケース", "mala", "手提箱"},
    {"frisbee", "frisbi", "フリスビー", "frisbee", "飞盘"},
    {"skis", "esquís", "スキー板", "esquis", "滑雪板"},
    {"snowboard", "tabla de snowboard", "スノーボード", "prancha de snowboard", "单板滑雪板"},
    {"sports ball", "pelota", "ボール", "bola", "球"},
    {"kite", "cometa", "凧", "pipa", "风筝"},
    {"baseball bat", "bate de béisbol", "野球のバット", "taco de beisebol", "棒球棒"},
    {"baseball glove", "guante de béisbol", "野球のグローブ", "luva de beisebol", "棒球手套"},
    {"skateboard", "monopatín", "スケートボード", "skate", "滑板"},
    {"surfboard", "tabla de surf", "サーフボード", "prancha de surfe", "冲浪板"},
    {"tennis racket", "raqueta de tenis", "テニスラケット", "raquete de tênis", "网球拍"},
    {"bottle", "botella", "ボトル", "garrafa", "瓶子"},
    {"wine glass", "copa de vino", "ワイングラス", "taça de vinho", "酒杯"},
    {"cup", "taza", "カップ", "xícara", "杯子"},
    {"fork", "tenedor", "フォーク", "garfo", "叉子"},
    {"knife", "cuchillo", "ナイフ", "faca", "刀"},
    {"spoon", "cuchara", "スプーン", "colher", "勺子"},
    {"bowl", "cuenco", "ボウル", "tigela", "碗"},
    {"banana", "plátano", "バナナ", "banana", "香蕉"},
    {"apple", "manzana", "リンゴ", "maçã", "苹果"},
    {"sandwich", "sándwich", "サンドイッチ", "sanduíche", "三明治"},
    {"orange", "naranja", "オレンジ", "laranja", "橙子"},
    {"broccoli", "brócoli", "ブロッコリー", "brócolis", "西兰花"},
    {"carrot", "zanahoria", "ニンジン", "cenoura", "胡萝卜"},
    {"hot dog", "perrito caliente", "ホットドッグ", "cachorro-quente", "热狗"},
    {"pizza", "pizza", "ピザ", "pizza", "披萨"},
    {"donut", "dónut", "ドーナツ", "rosquinha", "甜甜圈"},
    {"cake", "pastel", "ケーキ", "bolo", "蛋糕"},
    {"chair", "silla", "椅子", "cadeira", "椅子"},
    {"couch", "sofá", "ソファー", "sofá", "沙发"},
    {"potted plant", "planta en maceta", "鉢植え", "planta em vaso", "盆栽"},
    {"bed", "cama", "ベッド", "cama", "床"},
    {"dining table", "mesa de comedor", "ダイニングテーブル", "mesa de jantar", "餐桌"},
    {"toilet", "inodoro", "トイレ", "vaso sanitário", "马桶"},
    {"tv", "televisor", "テレビ", "televisão", "电视"},
    {"laptop", "portátil", "ノートパソコン", "notebook", "笔记本电脑"},
    {"mouse", "ratón", "マウス", "mouse", "鼠标"},
    {"remote", "mando a distancia", "リモコン", "controle remoto", "遥控器"},
    {"keyboard", "teclado", "キーボード", "teclado", "键盘"},
    {"cell phone", "teléfono móvil", "携帯電話", "celular", "手机"},
    {"microwave", "microondas", "電子レンジ", "micro-ondas", "微波炉"},
    {"oven", "horno", "オーブン", "forno", "烤箱"},
    {"toaster", "tostadora", "トースター", "torradeira", "烤面包机"},
    {"sink", "fregadero", "シンク", "pia", "水槽"},
    {"refrigerator", "refrigerador", "冷蔵庫", "geladeira", "冰箱"},
    {"book", "libro", "本", "livro", "书"},
    {"clock", "reloj", "時計", "relógio", "时钟"},
    {"vase", "jarrón", "花瓶", "vaso", "花瓶"},
    {"scissors", "tijeras", "はさみ", "tesoura", "剪刀"},
    {"teddy bear", "oso de peluche", "テディベア", "ursinho de pelúcia", "泰迪熊"},
    {"hair drier", "secador de pelo", "ヘアドライヤー", "secador de cabelo", "吹风机"},
    {"toothbrush", "cepillo de dientes", "歯ブラシ", "escova de dentes", "牙刷"},
    // WordNet parents (tools/wordnet/readable.txt)
    {"animal", "animal", "動物", "animal", "动物"},
    {"mammal", "mamífero", "哺乳類", "mamífero", "哺乳动物"},
    {"vehicle", "vehículo", "乗り物", "veículo", "车辆"},
    {"motor vehicle", "vehículo de motor", "自動車", "veículo motorizado", "机动车"},
    {"aircraft", "aeronave", "航空機", "aeronave", "航空器"},
    {"public transport", "transporte público", "公共交通機関", "transporte público", "公共交通"},
    {"furniture", "mueble", "家具", "mobília", "家具"},
    {"seat", "asiento", "座席", "assento", "座位"},
    {"table", "mesa", "テーブル", "mesa", "桌子"},
    {"container", "recipiente", "容器", "recipiente", "容器"},
    {"bag", "bolsa", "バッグ", "saco", "包"},
    {"baggage", "equipaje", "手荷物", "bagagem", "行李"},
    {"clothing", "ropa", "衣類", "roupa", "服装"},
    {"tableware", "vajilla", "食器", "louça", "餐具"},
    {"cutlery", "cubiertos", "カトラリー", "talheres", "刀叉"},
    {"food", "comida", "食べ物", "comida", "食物"},
    {"edible fruit", "fruta", "果物", "fruta", "水果"},
    {"vegetable", "verdura", "野菜", "legume", "蔬菜"},
    {"baked goods", "productos horneados", "焼き菓子", "produtos de panificação", "烘焙食品"},
    {"snack food", "aperitivo", "軽食", "lanche", "小吃"},
    {"tool", "herramienta", "道具", "ferramenta", "工具"},
    {"sports equipment", "equipamiento deportivo", "スポーツ用品", "equipamento esportivo", "运动器材"},
    {"kitchen appliance", "electrodoméstico de cocina", "キッチン家電", "eletrodoméstico de cozinha", "厨房电器"},
    {"home appliance", "electrodoméstico", "家電", "eletrodoméstico", "家用电器"},
    {"computer", "computadora", "コンピューター", "computador", "电脑"},
    {"electronic device", "dispositivo electrónico", "電子機器", "dispositivo eletrônico", "电子设备"},
    {"electronic equipment", "equipo electrónico", "電子装置", "equipamento eletrônico", "电子装置"},
    {"plumbing fixture", "aparato sanitario", "衛生器具", "louça sanitária", "卫浴设备"},
    {"timepiece", "reloj", "時計", "relógio", "计时器"},
    {"plant", "planta", "植物", "planta", "植物"},
    {"sign", "señal", "標識", "sinal", "标志"},
    {"telephone", "teléfono", "電話", "telefone", "电话"},
    // scene words and other evidence
    {"outdoor", "exterior", "屋外", "ao ar livre", "户外"},
    {"street", "calle", "通り", "rua", "街道"},
    {"indoor", "interior", "屋内", "interior", "室内"},
    {"kitchen", "cocina", "台所", "cozinha", "厨房"},
    {"living room", "sala de estar", "リビングルーム", "sala de estar", "客厅"},
    {"sport", "deporte", "スポーツ", "esporte", "运动"},
    {"tennis", "tenis", "テニス", "tênis", "网球"},
    {"baseball", "béisbol", "野球", "beisebol", "棒球"},
    {"human face", "cara humana", "人間の顔", "rosto humano", "人脸"},
    {"drawing", "dibujo", "絵", "desenho", "绘画"},
    {"black and white", "blanco y negro", "白黒", "preto e branco", "黑白"},
    {"text", "texto", "テキスト", "texto", "文本"},
    {"sky", "cielo", "空", "céu", "天空"},
};
// clang-format on

std::string Normalize(std::string lang) {
  std::transform(lang.begin(), lang.end(), lang.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lang.rfind("zh", 0) == 0) return "zh";
  if (lang.rfind("pt", 0) == 0) return "pt";
  return lang;
}

}  // namespace

const std::set<std::string>& TranslatedTagLanguages() {
  static const std::set<std::string> kLanguages = {"en", "es", "ja", "pt", "zh"};
  return kLanguages;
}

std::optional<std::string> TranslateTag(const std::string& english, const std::string& language) {
  static const std::map<std::string, const Row*> kIndex = [] {
    std::map<std::string, const Row*> m;
    for (const Row& r : kRows) m[r.en] = &r;
    return m;
  }();
  auto it = kIndex.find(english);
  if (it == kIndex.end()) return std::nullopt;
  const std::string lang = Normalize(language);
  if (lang == "en") return std::string(it->second->en);
  if (lang == "es") return std::string(it->second->es);
  if (lang == "ja") return std::string(it->second->ja);
  if (lang == "pt") return std::string(it->second->pt);
  if (lang == "zh") return std::string(it->second->zh);
  return std::nullopt;
}

}  // namespace ocular
